"""The scipy side of LabelingBenchmark#versusScipy (benchmarks only, never a runtime dependency).

Reads commands from stdin, one per line, answers one line each on stdout:
  ping                                                              -> "ok" (numpy and scipy are there)
  load <path> <nx> <ny> <nz>   a raw uint8 mask, x fastest          -> "ok"
  check <conn>                 label once (not timed)               -> "<K> <checksum>"
  time <conn>                  one timed round                      -> "<label s> <label+bincount s> <label+bincount+weights s>"
                                                                       then the same three as process CPU seconds
  quit
conn is 6 or 26. label = scipy.ndimage.label (int32 output); label+bincount adds np.bincount of the labels
(the voxel count of every label); +weights adds the W1 weight table (doc/method.md §1.2, clip [1, 2e5]) gathered
into a float32 weight map. checksum = sum over voxels i (raster order) of label[i] * (i % 65521 + 1),
modulo 2^64 as a signed 64-bit integer, the same sum LabelingBenchmark computes.
Run the benchmark single-threaded on one core, e.g. taskset -c 1 mvn -B -Pbench test ...
"""
import sys
import time

import numpy as np
import scipy.ndimage as ndi

STRUCTURES = {"6": ndi.generate_binary_structure(3, 1), "26": np.ones((3, 3, 3), dtype=bool)}


def weights(lab, k):
    counts = np.bincount(lab.ravel(), minlength=k + 1)
    present = np.count_nonzero(counts)
    with np.errstate(divide="ignore"):
        table = np.clip(lab.size / (present * counts.astype(np.float64)), 1.0, 2e5).astype(np.float32)
    return table[lab]


def main():
    mask = None
    for line in sys.stdin:
        cmd = line.split()
        if not cmd:
            continue
        if cmd[0] == "quit":
            break
        if cmd[0] == "ping":
            print("ok", flush=True)
            continue
        if cmd[0] == "load":
            nx, ny, nz = int(cmd[2]), int(cmd[3]), int(cmd[4])
            mask = np.fromfile(cmd[1], dtype=np.uint8).reshape(nz, ny, nx)
            print("ok", flush=True)
        elif cmd[0] == "check":
            lab, k = ndi.label(mask, structure=STRUCTURES[cmd[1]])
            flat = lab.ravel()
            checksum = np.int64(0)
            with np.errstate(over="ignore"):
                for a in range(0, flat.size, 1 << 22):
                    b = min(flat.size, a + (1 << 22))
                    idx = np.arange(a, b, dtype=np.int64) % 65521 + 1
                    checksum += np.sum(flat[a:b].astype(np.int64) * idx, dtype=np.int64)
            print(k, int(checksum), flush=True)
        elif cmd[0] == "time":
            s = STRUCTURES[cmd[1]]
            t0, c0 = time.perf_counter(), time.process_time()
            lab, k = ndi.label(mask, structure=s)
            t1, c1 = time.perf_counter(), time.process_time()
            np.bincount(lab.ravel())
            t2, c2 = time.perf_counter(), time.process_time()
            del lab
            t3, c3 = time.perf_counter(), time.process_time()
            lab, k = ndi.label(mask, structure=s)
            weights(lab, k)
            t4, c4 = time.perf_counter(), time.process_time()
            del lab
            print("%.6f %.6f %.6f %.6f %.6f %.6f" % (t1 - t0, t2 - t0, t4 - t3, c1 - c0, c2 - c0, c4 - c3), flush=True)
        else:
            print("error unknown command " + cmd[0], flush=True)


if __name__ == "__main__":
    main()

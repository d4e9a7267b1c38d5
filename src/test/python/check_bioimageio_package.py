#!/usr/bin/env python3
"""Independent check of a bioimage.io model package written by Lesion Weighting's Export Model Package.

Usage: python3 check_bioimageio_package.py PACKAGE.zip [--tolerance 1e-4]

Needs pyyaml, numpy and TensorFlow for Python (tensorflow-cpu); no Lesion Weighting code. It
1. loads rdf.yaml and checks type, format_version (0.5.x) and the tensor axes;
2. finds every file the description names (documentation, covers, attachments, test tensors, weights,
   config.lesion_weighting.sha256) and compares the stated SHA-256 where one is stated;
3. applies the input's preprocessing steps to the test input (numpy implementations of the spec's
   operations; for zscore_nonzero, which the spec cannot express, the exact suite rule stated in config),
   loads the SavedModel from the weights zip with TensorFlow, runs the 'serving_default' signature, takes its
   first output in key order (as bioimage.io's TensorFlow adapter does), applies the output's postprocessing
   and compares with the test output.
Prints one line per check and 'OK' at the end; exits 1 on the first failure.
"""
import argparse
import hashlib
import os
import sys
import tempfile
import zipfile

import numpy as np
import yaml


def fail(msg):
    print("FAILED: " + msg)
    sys.exit(1)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def referenced_files(rdf):
    """(source, sha256 or None) of every file the description names."""
    out = []
    if rdf.get("documentation"):
        out.append((rdf["documentation"], None))
    for c in rdf.get("covers", []):
        out.append((c, None))
    for a in rdf.get("attachments", []):
        out.append((a["source"], a.get("sha256")))
    for io in ("inputs", "outputs"):
        for t in rdf[io]:
            if t.get("test_tensor"):
                out.append((t["test_tensor"]["source"], t["test_tensor"].get("sha256")))
    for fmt, w in rdf["weights"].items():
        if w:
            out.append((w["source"], w.get("sha256")))
    ours = rdf.get("config", {}).get("lesion_weighting", {})
    for name, digest in ours.get("sha256", {}).items():
        out.append((name, digest))
    return out


def reduce_axes(tensor_axes, kwargs):
    """numpy axis indices of the spec's 'axes' kwarg (default: all)."""
    names = kwargs.get("axes")
    if names is None:
        return tuple(range(len(tensor_axes)))
    return tuple(tensor_axes.index(a) for a in names)


def preprocess(x, steps, axes):
    for s in steps:
        op, kw = s["id"], s.get("kwargs", {}) or {}
        if op == "ensure_dtype":
            x = x.astype(kw["dtype"])
        elif op == "zero_mean_unit_variance":
            r = reduce_axes(axes, kw)
            mean = x.mean(axis=r, keepdims=True, dtype=np.float64)
            std = x.std(axis=r, keepdims=True, dtype=np.float64)
            x = ((x - mean) / (std + kw.get("eps", 1e-6))).astype(np.float32)
        elif op == "fixed_zero_mean_unit_variance":
            x = ((x.astype(np.float64) - kw["mean"]) / kw["std"]).astype(np.float32)
        elif op == "clip":
            x = np.clip(x, kw.get("min", -np.inf), kw.get("max", np.inf))
        elif op == "scale_range":
            r = reduce_axes(axes, kw)
            lo = np.percentile(x, kw.get("min_percentile", 0.0), axis=r, keepdims=True)
            hi = np.percentile(x, kw.get("max_percentile", 100.0), axis=r, keepdims=True)
            x = ((x - lo) / (hi - lo + kw.get("eps", 1e-6))).astype(np.float32)
        elif op == "scale_linear":
            x = (x * kw.get("gain", 1.0) + kw.get("offset", 0.0)).astype(np.float32)
        elif op == "sigmoid":
            x = (1.0 / (1.0 + np.exp(-x.astype(np.float64)))).astype(np.float32)
        else:
            fail("unsupported processing step " + op)
    return x


def zscore_nonzero(x, axes):
    """The suite's zscore_nonzero per sample and channel (channel last): mean and std of the non-zero voxels; zeros stay 0."""
    if axes[0] != "batch" or axes[-1] != "channel":
        fail("zscore_nonzero needs axes (batch, ..., channel), not %s" % axes)
    x = x.astype(np.float64).copy()
    for b in range(x.shape[0]):
        for k in range(x.shape[-1]):
            v = x[b, ..., k]
            nz = v != 0
            if nz.any():
                std = v[nz].std()
                v[nz] = (v[nz] - v[nz].mean()) / (std if std > 0 else 1)
            x[b, ..., k] = v
    return x.astype(np.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("package")
    ap.add_argument("--tolerance", type=float, default=1e-4)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(args.package) as z:
            z.extractall(tmp)
        rdf_path = next((os.path.join(tmp, n) for n in ("rdf.yaml", "bioimageio.yaml") if os.path.exists(os.path.join(tmp, n))), None)
        if rdf_path is None:
            fail("no rdf.yaml in " + args.package)
        with open(rdf_path, encoding="utf-8") as f:
            rdf = yaml.safe_load(f)
        if rdf.get("type") != "model" or not str(rdf.get("format_version", "")).startswith("0.5."):
            fail("type %r, format_version %r" % (rdf.get("type"), rdf.get("format_version")))
        print("rdf.yaml: %s, format %s, %d input(s), %d output(s)" % (rdf["name"], rdf["format_version"], len(rdf["inputs"]), len(rdf["outputs"])))

        for source, digest in referenced_files(rdf):
            path = os.path.join(tmp, source)
            if not os.path.isfile(path):
                fail("missing file " + source)
            if digest is not None and sha256(path) != digest:
                fail("SHA-256 of %s is %s, rdf.yaml states %s" % (source, sha256(path), digest))
            print("file %s: %s" % (source, "sha256 ok" if digest else "present"))

        inp, out = rdf["inputs"][0], rdf["outputs"][0]
        in_axes = [a.get("id", a["type"]) for a in inp["axes"]]
        out_axes = [a.get("id", a["type"]) for a in out["axes"]]
        x = np.load(os.path.join(tmp, inp["test_tensor"]["source"]))
        expected = np.load(os.path.join(tmp, out["test_tensor"]["source"]))
        print("test input %s %s, axes %s; test output %s" % (x.shape, x.dtype, in_axes, expected.shape))
        for a, n in zip(inp["axes"], x.shape):
            size = a.get("size")
            if isinstance(size, dict) and "min" in size and (n < size["min"] or (n - size["min"]) % size["step"]):
                fail("test input axis %s of size %d is not min %d + n * step %d" % (a.get("id"), n, size["min"], size["step"]))

        ours = rdf.get("config", {}).get("lesion_weighting", {})
        if ours.get("preprocessing_exact_in_spec", True):
            prepared = preprocess(x, inp.get("preprocessing", []), in_axes)
            print("preprocessing: the description's steps " + ", ".join(s["id"] for s in inp.get("preprocessing", [])))
        elif ours.get("preprocessing") == "zscore_nonzero":
            prepared = zscore_nonzero(x.astype(np.float32), in_axes)
            print("preprocessing: zscore_nonzero (config; the description's steps approximate it)")
        else:
            fail("preprocessing %r is neither exact in the spec nor known here" % ours.get("preprocessing"))

        import tensorflow as tf
        weights = rdf["weights"]["tensorflow_saved_model_bundle"]
        wdir = os.path.join(tmp, "weights")
        with zipfile.ZipFile(os.path.join(tmp, weights["source"])) as z:
            z.extractall(wdir)
        loaded = tf.saved_model.load(wdir, tags=["serve"])
        fn = loaded.signatures["serving_default"]
        in_names = list(fn.structured_input_signature[1].keys())
        if len(in_names) != 1:
            fail("the signature has inputs %s; expected one" % in_names)
        result = fn(**{in_names[0]: tf.constant(prepared)})
        first = sorted(result.keys())[0]
        y = preprocess(result[first].numpy(), out.get("postprocessing", []), out_axes)
        print("TensorFlow %s: signature output '%s' %s, postprocessing %s" % (tf.__version__, first, y.shape, [s["id"] for s in out.get("postprocessing", [])]))
        if y.shape != expected.shape:
            fail("output shape %s, test output %s" % (y.shape, expected.shape))
        diff = float(np.max(np.abs(y.astype(np.float64) - expected)))
        print("max |output - test output| = %.3g (tolerance %g)" % (diff, args.tolerance))
        if not diff <= args.tolerance:
            fail("the test output is not reproduced")
    print("OK")


if __name__ == "__main__":
    main()

package org.lesionweighting.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.util.Json;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * An independent reader: a small Python + numpy script (written here, no nibabel) parses the headers and
 * data of files this package writes and reports dimensions, spacing, affine and value checksums.
 * Skipped when python3 with numpy is not available.
 */
class PythonReaderCheckTest {

	@TempDir
	Path dir;

	static final String SCRIPT = """
			import sys, json, gzip, struct, zlib, os
			import numpy as np

			NIFTI_TYPES = {2: 'u1', 256: 'i1', 512: 'u2', 4: 'i2', 768: 'u4', 8: 'i4', 16: 'f4', 64: 'f8'}
			META_TYPES = {'MET_UCHAR': 'u1', 'MET_CHAR': 'i1', 'MET_USHORT': 'u2', 'MET_SHORT': 'i2', 'MET_UINT': 'u4', 'MET_INT': 'i4', 'MET_FLOAT': 'f4', 'MET_DOUBLE': 'f8'}

			def quat_to_mat(b, c, d, qx, qy, qz, qfac, pix):
			    a = 1.0 - (b*b + c*c + d*d)
			    if a < 1e-7:
			        n = 1.0 / np.sqrt(b*b + c*c + d*d); b, c, d, a = b*n, c*n, d*n, 0.0
			    else:
			        a = np.sqrt(a)
			    R = np.array([[a*a+b*b-c*c-d*d, 2*(b*c-a*d), 2*(b*d+a*c)],
			                  [2*(b*c+a*d), a*a+c*c-b*b-d*d, 2*(c*d-a*b)],
			                  [2*(b*d-a*c), 2*(c*d+a*b), a*a+d*d-c*c-b*b]])
			    s = np.array([pix[0], pix[1], pix[2] * (-1 if qfac < 0 else 1)])
			    M = np.eye(4); M[:3, :3] = R * s; M[:3, 3] = [qx, qy, qz]
			    return M

			def nifti(path):
			    raw = open(path, 'rb').read()
			    if raw[:2] == b'\\x1f\\x8b':
			        raw = gzip.decompress(raw)
			    for e in '<>':
			        n = struct.unpack(e + 'i', raw[:4])[0]
			        if n in (348, 540):
			            break
			    if n == 348:
			        dim = struct.unpack(e + '8h', raw[40:56]); dtype = struct.unpack(e + 'h', raw[70:72])[0]
			        pix = struct.unpack(e + '8f', raw[76:108]); off = int(struct.unpack(e + 'f', raw[108:112])[0])
			        qcode, scode = struct.unpack(e + '2h', raw[252:256]); q = struct.unpack(e + '6f', raw[256:280])
			        srow = struct.unpack(e + '12f', raw[280:328]); units = raw[123]
			        assert raw[344:348] == b'n+1\\x00'
			    else:
			        dtype = struct.unpack(e + 'h', raw[12:14])[0]; dim = struct.unpack(e + '8q', raw[16:80])
			        pix = struct.unpack(e + '8d', raw[104:168]); off = struct.unpack(e + 'q', raw[168:176])[0]
			        qcode, scode = struct.unpack(e + '2i', raw[344:352]); q = struct.unpack(e + '6d', raw[352:400])
			        srow = struct.unpack(e + '12d', raw[400:496]); units = struct.unpack(e + 'i', raw[500:504])[0]
			        assert raw[4:8] == b'n+2\\x00'
			    shape = [int(x) for x in dim[1:1 + dim[0]]]
			    data = np.frombuffer(raw, dtype=np.dtype(e + NIFTI_TYPES[dtype]), count=int(np.prod(shape)), offset=off)
			    if scode > 0:
			        A = np.vstack([np.array(srow).reshape(3, 4), [0, 0, 0, 1]])
			    elif qcode > 0:
			        A = quat_to_mat(*q, pix[0], pix[1:4])
			    else:
			        A = np.diag([pix[1], pix[2], pix[3], 1.0])
			    Q = quat_to_mat(*q, pix[0], pix[1:4]) if qcode > 0 else A
			    return shape, [float(x) for x in pix[1:4]], A, data, ['', 'm', 'mm', 'um'][units & 7], Q

			def meta(path):
			    raw = open(path, 'rb').read()
			    h, pos = {}, 0
			    while True:
			        end = raw.index(b'\\n', pos); line = raw[pos:end].decode('ascii').strip(); pos = end + 1
			        k, v = [x.strip() for x in line.split('=', 1)]; h[k] = v
			        if k == 'ElementDataFile':
			            break
			    nd = int(h['NDims']); shape = [int(x) for x in h['DimSize'].split()]
			    sp = [float(x) for x in h['ElementSpacing'].split()]; org = [float(x) for x in h['Offset'].split()]
			    T = np.array([float(x) for x in h['TransformMatrix'].split()]).reshape(nd, nd).T  # rows of the file are axes
			    if h['ElementDataFile'] == 'LOCAL':
			        blob = raw[pos:]
			    else:
			        blob = open(os.path.join(os.path.dirname(path), h['ElementDataFile']), 'rb').read()
			    if h.get('CompressedData') == 'True':
			        blob = zlib.decompress(blob)
			    e = '>' if h.get('BinaryDataByteOrderMSB') == 'True' else '<'
			    data = np.frombuffer(blob, dtype=np.dtype(e + META_TYPES[h['ElementType']]), count=int(np.prod(shape)))
			    A = np.eye(4); A[:3, :3] = T[:3, :3] * np.array(sp[:3]); A[:3, 3] = org[:3]
			    A = np.diag([-1.0, -1.0, 1.0, 1.0]) @ A  # LPS -> RAS, to compare with NIfTI
			    return shape, sp[:3], A, data, 'mm', A

			for path in sys.argv[1:]:
			    shape, sp, A, data, unit, Q = (meta if path.endswith(('.mha', '.mhd')) else nifti)(path)
			    d = data.astype(np.float64)
			    w = (np.arange(d.size) % 13 + 1).astype(np.float64)
			    print(json.dumps({'path': path, 'shape': shape, 'spacing': sp, 'affine': A.tolist(), 'qaffine': Q.tolist(), 'unit': unit,
			                      'sum': float(d.sum()), 'wsum': float((d * w).sum()), 'first': [float(x) for x in d[:4]]}))
			""";

	@BeforeAll
	static void needsPythonWithNumpy() {
		boolean ok;
		try {
			final Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
			ok = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
		}
		catch (final IOException | InterruptedException e) {
			ok = false;
		}
		Assumptions.assumeTrue(ok, "python3 with numpy is not available");
	}

	@Test
	void filesWeWriteReadTheSameInPython() throws Exception {
		final List< String > files = new ArrayList<>();
		final List< Img< ? extends RealType< ? > > > images = new ArrayList<>();
		final VolumeGeometry g = TestVolumes.rotated();
		int k = 0;
		for (final DataType t : DataType.values()) {
			for (final String ext : new String[] { ".nii", ".nii.gz", "-v2.nii", "-be.nii.gz", ".mha", ".mhd", "-z.mhd", "-be.mha" }) {
				final Path p = dir.resolve((k++) + "-" + t.key() + ext);
				final Img< ? extends RealType< ? > > img = TestVolumes.image(t, 6, 5, 4);
				VolumeIO.write(p, img, g, WriteOptions.DEFAULT.withNiftiVersion(ext.contains("v2") ? 2 : 1)
						.withByteOrder(ext.contains("-be") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN).withCompressedMetaImage(ext.contains("-z")));
				files.add(p.toString());
				images.add(img);
			}
		}
		final Path script = dir.resolve("reader.py");
		Files.writeString(script, SCRIPT);
		final List< String > cmd = new ArrayList<>(List.of("python3", script.toString()));
		cmd.addAll(files);
		final Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
		final String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		proc.waitFor(120, TimeUnit.SECONDS);
		assertEquals(0, proc.exitValue(), out);
		final String[] lines = out.strip().split("\n");
		assertEquals(files.size(), lines.length, out);
		final double[][] ras = g.affineRas();
		for (int i = 0; i < lines.length; i++) {
			final Map< String, Object > r = Json.parseObject(lines[i]);
			final String f = files.get(i);
			assertEquals(List.of(6.0, 5.0, 4.0), r.get("shape"), f);
			assertEquals("mm", r.get("unit"), f);
			final List< ? > sp = (List< ? >) r.get("spacing");
			for (int d = 0; d < 3; d++)
				assertEquals(g.spacing()[d], (Double) sp.get(d), 1e-6, f);
			for (final String key : new String[] { "affine", "qaffine" }) {
				final List< ? > a = (List< ? >) r.get(key);
				for (int row = 0; row < 4; row++)
					for (int c = 0; c < 4; c++)
						assertEquals(ras[row][c], (Double) ((List< ? >) a.get(row)).get(c), 1e-4 * Math.max(1, Math.abs(ras[row][c])),
								f + " " + key + " " + row + "," + c);
			}
			double sum = 0, wsum = 0;
			long j = 0;
			for (final RealType< ? > t : Views.flatIterable(images.get(i))) {
				final double v = t.getRealDouble();
				sum += v;
				wsum += v * (j++ % 13 + 1);
			}
			assertEquals(sum, (Double) r.get("sum"), 1e-9 * Math.max(1, Math.abs(sum)), f + " sum");
			assertEquals(wsum, (Double) r.get("wsum"), 1e-9 * Math.max(1, Math.abs(wsum)), f + " weighted sum");
		}
	}
}

package org.lesionweighting.io;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A sequential source of file bytes, plain or inflated (gzip, zlib), that fills a reused buffer chunk
 * by chunk, so that data go straight from the file or the inflater into the image's arrays.
 * Not thread-safe.
 */
abstract class ByteSource implements Closeable {

	/** Size of the chunks handed out. */
	static final int CHUNK = 1 << 22;

	/** Largest ratio of inflated to compressed bytes that deflate can reach (plus slack). */
	static final long MAX_INFLATE_RATIO = 1040;

	protected final String name;

	ByteSource(final String name) {
		this.name = name;
	}

	/**
	 * Returns a buffer (position 0, limit {@code n}) holding the next {@code n <= CHUNK} bytes; the buffer
	 * is reused by the next call.
	 *
	 * @throws IOException if the data end before {@code n} bytes
	 */
	abstract ByteBuffer next(int n) throws IOException;

	void skip(long n) throws IOException {
		while (n > 0) {
			final int k = (int) Math.min(n, CHUNK);
			next(k);
			n -= k;
		}
	}

	/**
	 * Opens a file at {@code offset}: gzip-compressed (the offset counts inflated bytes) when it starts with the gzip
	 * magic, plain otherwise.
	 */
	static ByteSource open(final Path path, final long offset) throws IOException {
		if (!isGzip(path)) return plain(path, offset);
		final ByteSource s = inflating(path, 0, true);
		try {
			s.skip(offset);
			return s;
		}
		catch (final IOException | RuntimeException e) {
			s.close();
			throw e;
		}
	}

	/** The bytes of a file from {@code offset >= 0}. */
	static ByteSource plain(final Path path, final long offset) throws IOException {
		return new Plain(path.toString(), FileChannel.open(path, StandardOpenOption.READ).position(offset));
	}

	/** The inflated bytes of gzip ({@code gzip}) or zlib data that start at {@code offset} of a file. */
	static ByteSource inflating(final Path path, final long offset, final boolean gzip) throws IOException {
		final InputStream in = Files.newInputStream(path);
		try {
			in.skipNBytes(offset);
			return new Inflating(path.toString(), in, gzip, (int) Math.min(1 << 20, Math.max(1 << 12, Files.size(path) - offset)));
		}
		catch (final IOException | RuntimeException e) {
			in.close();
			throw e;
		}
	}

	/** Whether the file starts with the gzip magic bytes. */
	static boolean isGzip(final Path path) throws IOException {
		try (InputStream in = Files.newInputStream(path)) {
			final byte[] b = in.readNBytes(2);
			return b.length == 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
		}
	}

	/** Plain file bytes through a direct buffer. */
	static final class Plain extends ByteSource {

		private final FileChannel ch;

		private ByteBuffer buf;

		Plain(final String name, final FileChannel ch) {
			super(name);
			this.ch = ch;
		}

		@Override
		ByteBuffer next(final int n) throws IOException {
			if (buf == null || buf.capacity() < n) buf = ByteBuffer.allocateDirect(Math.max(n, Math.min(CHUNK, 1 << 16)));
			buf.clear().limit(n);
			while (buf.hasRemaining()) {
				if (ch.read(buf) < 0)
					throw new EOFException(name + ": the file ends early (" + buf.remaining() + " more bytes expected at offset " + ch.position() + ").");
			}
			buf.flip();
			return buf;
		}

		@Override
		void skip(final long n) throws IOException {
			ch.position(ch.position() + n);
		}

		@Override
		public void close() throws IOException {
			ch.close();
		}
	}

	/** gzip (possibly multi-member) or zlib data, inflated with {@link Inflater} and large buffers. */
	static final class Inflating extends ByteSource {

		private final InputStream in;

		private final boolean gzip;

		private final Inflater inflater;

		private final byte[] inBuf;

		private int inPos, inLen;

		private boolean inEof;

		private final CRC32 crc = new CRC32();

		private byte[] out;

		private ByteBuffer outBuf;

		Inflating(final String name, final InputStream in, final boolean gzip, final int bufferSize) throws IOException {
			super(name);
			this.inBuf = new byte[bufferSize];
			this.in = in;
			this.gzip = gzip;
			this.inflater = new Inflater(gzip);
			if (gzip) readGzipHeader();
		}

		private boolean fill() throws IOException {
			if (inEof) return false;
			inPos = 0;
			inLen = in.readNBytes(inBuf, 0, inBuf.length); // 0 only at the end of the stream
			inEof = inLen == 0;
			return !inEof;
		}

		private int readByte() throws IOException {
			if (inPos == inLen && !fill()) throw new EOFException(name + ": the gzip stream ends early (cut inside a gzip header).");
			return inBuf[inPos++] & 0xff;
		}

		private void readGzipHeader() throws IOException {
			if (readByte() != 0x1f || readByte() != 0x8b) throw new IOException(name + ": not a gzip stream (bad magic bytes).");
			if (readByte() != 8) throw new IOException(name + ": unsupported gzip compression method (only deflate).");
			final int flags = readByte();
			skipBytes(6);
			if ((flags & 4) != 0) skipBytes(readByte() | readByte() << 8);
			if ((flags & 8) != 0) while (readByte() != 0) {}
			if ((flags & 16) != 0) while (readByte() != 0) {}
			if ((flags & 2) != 0) skipBytes(2);
			crc.reset();
		}

		private void skipBytes(final int n) throws IOException {
			for (int i = 0; i < n; i++)
				readByte();
		}

		/** At the end of a gzip member: checks the trailer; returns whether another member follows. */
		private boolean nextMember() throws IOException {
			if (!gzip) return false;
			inPos = inLen - inflater.getRemaining();
			long stored = 0;
			for (int i = 0; i < 4; i++)
				stored |= (long) readByte() << (8 * i);
			skipBytes(4);
			if (stored != crc.getValue()) throw new IOException(name + ": gzip CRC mismatch; the file is corrupt.");
			if (inPos == inLen && !fill()) return false;
			inflater.reset();
			readGzipHeader();
			return true;
		}

		@Override
		ByteBuffer next(final int n) throws IOException {
			if (out == null || out.length < n) {
				out = new byte[Math.max(n, Math.min(CHUNK, 1 << 16))];
				outBuf = ByteBuffer.wrap(out);
			}
			int off = 0;
			try {
				while (off < n) {
					if (inflater.finished()) {
						if (!nextMember())
							throw new EOFException(name + ": the compressed data end early (" + (n - off) + " more bytes expected); the file is truncated.");
						continue;
					}
					if (inflater.needsInput()) {
						if (inPos == inLen && !fill())
							throw new EOFException(name + ": the " + (gzip ? "gzip" : "zlib") + " stream is cut short (" + (n - off)
									+ " more bytes expected); the file is truncated.");
						inflater.setInput(inBuf, inPos, inLen - inPos);
						inPos = inLen;
					}
					if (inflater.needsDictionary()) throw new IOException(name + ": the compressed stream needs a preset dictionary; not supported.");
					final int k = inflater.inflate(out, off, n - off);
					if (k == 0 && !inflater.needsInput() && !inflater.finished() && !inflater.needsDictionary())
						throw new IOException(name + ": corrupt compressed data (the inflater makes no progress).");
					if (gzip && k > 0) crc.update(out, off, k);
					off += k;
				}
			}
			catch (final DataFormatException e) {
				throw new IOException(name + ": corrupt compressed data (" + e.getMessage() + ").", e);
			}
			outBuf.clear().limit(n);
			return outBuf;
		}

		@Override
		public void close() throws IOException {
			inflater.end();
			in.close();
		}
	}
}

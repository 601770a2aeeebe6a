/*
 * Copyright 2026 the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package io.github.redisstreams.test;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A tiny RESP2 client that opens one connection per command. Just enough for
 * {@code PING}, {@code INFO}, {@code SHUTDOWN} and simple test commands.
 */
final class RespClient {

	private static final int CONNECT_TIMEOUT_MILLIS = 500;

	private static final int READ_TIMEOUT_MILLIS = 5000;

	private final String host;

	private final int port;

	private final @Nullable String password;

	RespClient(String host, int port, @Nullable String password) {
		this.host = host;
		this.port = port;
		this.password = password;
	}

	/**
	 * Send a command and read its reply.
	 * @param args the command and its arguments
	 * @return a {@link String} for simple and bulk strings, a {@link Long} for integers,
	 * a {@link List} for arrays or {@code null} for null replies
	 * @throws ErrorReplyException if Redis answered with an error
	 * @throws IOException if the connection failed or was closed without a reply
	 */
	@Nullable Object command(String... args) throws IOException {
		try (Socket socket = connect()) {
			InputStream in = new BufferedInputStream(socket.getInputStream());
			OutputStream out = new BufferedOutputStream(socket.getOutputStream());
			if (this.password != null) {
				write(out, "AUTH", this.password);
				read(in);
			}
			write(out, args);
			return read(in);
		}
	}

	/**
	 * Send {@code PING}.
	 * @return {@code true} if the server answered {@code PONG}
	 * @throws ErrorReplyException if Redis answered with an error, for example
	 * {@code LOADING}
	 * @throws IOException if the connection failed
	 */
	boolean ping() throws IOException {
		return "PONG".equals(command("PING"));
	}

	/**
	 * Send {@code INFO} and parse the {@code key:value} lines.
	 * @param section the section, for example {@code server}
	 * @return the fields of the section
	 * @throws IOException if the connection failed
	 */
	Map<String, String> info(String section) throws IOException {
		Object reply = command("INFO", section);
		Map<String, String> fields = new LinkedHashMap<>();
		if (reply instanceof String text) {
			for (String line : text.split("\r?\n")) {
				int colon = line.indexOf(':');
				if (!line.startsWith("#") && colon > 0) {
					fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
				}
			}
		}
		return fields;
	}

	/**
	 * Send {@code SHUTDOWN} or {@code SHUTDOWN NOSAVE}. A successful shutdown closes the
	 * connection without a reply.
	 * @param save whether to let Redis persist ({@code SHUTDOWN}) or not
	 * ({@code SHUTDOWN NOSAVE})
	 * @throws ErrorReplyException if Redis refused to shut down
	 * @throws IOException if the connection could not be opened
	 */
	void shutdown(boolean save) throws IOException {
		try (Socket socket = connect()) {
			InputStream in = new BufferedInputStream(socket.getInputStream());
			OutputStream out = new BufferedOutputStream(socket.getOutputStream());
			if (this.password != null) {
				write(out, "AUTH", this.password);
				read(in);
			}
			if (save) {
				write(out, "SHUTDOWN");
			}
			else {
				write(out, "SHUTDOWN", "NOSAVE");
			}
			try {
				read(in);
			}
			catch (IOException ex) {
				// Expected: the server closes the connection when it exits
			}
		}
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket();
		try {
			socket.connect(new InetSocketAddress(this.host, this.port), CONNECT_TIMEOUT_MILLIS);
			socket.setSoTimeout(READ_TIMEOUT_MILLIS);
			socket.setTcpNoDelay(true);
			return socket;
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	private static void write(OutputStream out, String... args) throws IOException {
		StringBuilder command = new StringBuilder();
		command.append('*').append(args.length).append("\r\n");
		for (String arg : args) {
			byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
			command.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
		}
		out.write(command.toString().getBytes(StandardCharsets.UTF_8));
		out.flush();
	}

	private static @Nullable Object read(InputStream in) throws IOException {
		int type = in.read();
		if (type == -1) {
			throw new EOFException("Connection closed by Redis");
		}
		String line = readLine(in);
		switch (type) {
			case '+':
				return line;
			case '-':
				throw new ErrorReplyException(line);
			case ':':
				return Long.parseLong(line);
			case '$':
				return readBulk(in, Integer.parseInt(line));
			case '*':
				int count = Integer.parseInt(line);
				if (count < 0) {
					return null;
				}
				List<Object> elements = new ArrayList<>(count);
				for (int i = 0; i < count; i++) {
					try {
						elements.add(read(in));
					}
					catch (ErrorReplyException ex) {
						elements.add(ex);
					}
				}
				return elements;
			default:
				throw new IOException("Unexpected RESP type '" + (char) type + "'");
		}
	}

	private static @Nullable String readBulk(InputStream in, int length) throws IOException {
		if (length < 0) {
			return null;
		}
		byte[] bytes = in.readNBytes(length);
		if (bytes.length < length) {
			throw new EOFException("Connection closed by Redis");
		}
		readLine(in);
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int previous = -1;
		while (true) {
			int current = in.read();
			if (current == -1) {
				throw new EOFException("Connection closed by Redis");
			}
			if (previous == '\r' && current == '\n') {
				byte[] bytes = line.toByteArray();
				return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
			}
			line.write(current);
			previous = current;
		}
	}

	/**
	 * An error reply ({@code -ERR ...}) from Redis.
	 */
	@Override
	public String toString() {
		return this.host + ":" + this.port;
	}

	static final class ErrorReplyException extends RuntimeException {

		ErrorReplyException(String message) {
			super(message);
		}

		boolean isLoading() {
			return Objects.requireNonNull(getMessage()).startsWith("LOADING");
		}

	}

}

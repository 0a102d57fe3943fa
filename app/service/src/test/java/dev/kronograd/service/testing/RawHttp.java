package dev.kronograd.service.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket on 127.0.0.1, for what an HTTP client library will not send:
 * malformed request lines, huge headers, stalled or endless bodies. Reads one answer: its status
 * line, headers and body ({@code Content-Length}), or until the server closes the connection.
 */
public final class RawHttp {
    /** The longest a read waits: a hang guard only. */
    public static final int READ_GUARD_MILLIS = 20_000;

    private RawHttp() {
    }

    /**
     * One answer.
     *
     * @param status  the status code, or -1 if the connection closed without an answer
     * @param head    the status line and headers
     * @param body    the body
     */
    public record Answer(int status, String head, String body) {
        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return status + " " + head.replace("\r\n", " | ") + " " + body.strip();
        }
    }

    /** Opens a connection to the service on {@code port}. */
    public static Socket connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(READ_GUARD_MILLIS);
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** Sends {@code request} on a new connection and reads the answer. */
    public static Answer exchange(int port, byte[] request) throws IOException {
        try (Socket socket = connect(port)) {
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return read(socket.getInputStream());
        }
    }

    /** {@code text} as ISO-8859-1 bytes (HTTP's header encoding). */
    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Reads one answer; a connection closed (or reset) before a status line is status -1. */
    public static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        try {
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
                matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1
                        : (b == '\r' ? 1 : 0);
            }
        } catch (SocketException reset) {
            // fall through with what arrived
        }
        String headText = head.toString(StandardCharsets.ISO_8859_1);
        if (!headText.startsWith("HTTP/1.1 ") || headText.length() < 12) {
            return new Answer(-1, headText, "");
        }
        int status = Integer.parseInt(headText.substring(9, 12));
        Answer partial = new Answer(status, headText.strip(), "");
        String length = partial.header("Content-Length");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            if (length != null) {
                int n = Integer.parseInt(length.toLowerCase(Locale.ROOT));
                body.write(in.readNBytes(n));
            } else {
                in.transferTo(body);
            }
        } catch (SocketException reset) {
            // what arrived is the body
        }
        return new Answer(status, headText.strip(), body.toString(StandardCharsets.UTF_8));
    }
}

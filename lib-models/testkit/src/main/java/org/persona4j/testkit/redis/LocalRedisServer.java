package org.persona4j.testkit.redis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.persona4j.store.StoreException;
import org.persona4j.testkit.redis.LocalRedisServer;

/**
 * Runs a private {@code redis-server} (the operating system's binary, for example Debian's
 * {@code redis-server} package) on a free loopback port with a working directory of its own and
 * no persistence, for tests, benchmarks and demos. Not for production: run Redis as a service
 * there. {@link #close()} stops the server.
 */
public final class LocalRedisServer implements AutoCloseable {
    private final Process process;
    private final int port;

    private LocalRedisServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** @return the {@code redis-server} binary on the PATH or in /usr/bin, /usr/sbin, /usr/local/bin, if any */
    public static Optional<Path> findBinary() {
        String path = System.getenv("PATH");
        List<String> dirs = new java.util.ArrayList<>();
        if (path != null) {
            dirs.addAll(List.of(path.split(java.io.File.pathSeparator)));
        }
        dirs.addAll(List.of("/usr/bin", "/usr/sbin", "/usr/local/bin"));
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, "redis-server");
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Starts a server and waits until it answers PING (at most 15 s).
     *
     * @param binary the {@code redis-server} binary
     * @param workDir an existing directory for the server's files
     * @return the running server
     * @throws StoreException when it does not start
     */
    public static LocalRedisServer start(Path binary, Path workDir) {
        StoreException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            ProcessBuilder pb = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--dir", workDir.toString(), "--save", "", "--appendonly", "no", "--protected-mode", "yes",
                    "--daemonize", "no", "--loglevel", "warning", "--logfile", workDir.resolve("redis-" + port + ".log").toString());
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new StoreException("cannot start " + binary + ": " + e.getMessage(), e);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline && p.isAlive()) {
                if (ping(port)) {
                    return new LocalRedisServer(p, port);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            p.destroyForcibly();
            last = new StoreException("redis-server did not answer on 127.0.0.1:" + port + " (see " + workDir + "/redis-" + port + ".log)");
        }
        throw last;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new StoreException("no free loopback port: " + e.getMessage(), e);
        }
    }

    private static boolean ping(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            s.setSoTimeout(500);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] buf = new byte[16];
            int n = s.getInputStream().read(buf);
            return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /** @return the loopback port */
    public int port() {
        return port;
    }

    /** @return "127.0.0.1" */
    public String host() {
        return "127.0.0.1";
    }

    /** Stops the server (SIGTERM, then SIGKILL after 5 s). Idempotent. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

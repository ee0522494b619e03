package io.pgsnapman.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Forwards TCP connections from a loopback port to a target, byte for byte, in both directions. A test points
 * a service at a port where nothing listens yet (the target looks down), then starts a forwarder there (it
 * is up). Kafka clients only bootstrap through it: the broker's metadata sends them to its own address.
 */
public final class TcpForwarder implements AutoCloseable {

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private TcpForwarder(ServerSocket server, String targetHost, int targetPort) {
        this.server = server;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    /** Listens on {@code port} of 127.0.0.1 and forwards every connection to {@code target} ({@code host:port}). */
    public static TcpForwarder start(int port, String target) {
        int colon = target.lastIndexOf(':');
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            TcpForwarder forwarder = new TcpForwarder(server, target.substring(0, colon),
                    Integer.parseInt(target.substring(colon + 1)));
            daemon("tcp-forwarder-" + port, forwarder::accept);
            return forwarder;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port, e);
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                sockets.add(client);
                sockets.add(upstream);
                daemon("tcp-forwarder-out", () -> pump(client, upstream));
                daemon("tcp-forwarder-in", () -> pump(upstream, client));
            } catch (IOException e) {
                // closed, or the target refused this one connection: the client sees it closed and tries again
            }
        }
    }

    private static void daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // one side closed: close both below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        sockets.forEach(TcpForwarder::closeQuietly);
    }
}

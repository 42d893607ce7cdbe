package io.ordinal.security.tls;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.security.SecureRandom;

/**
 * A TLS ClientHello written by hand, for the protocol versions this JVM's own TLS refuses to offer
 * (TLS 1.1 is disabled in java.security): a server's first record says whether it took the hello
 * (a handshake record, its ServerHello) or refused it (an alert, protocol_version).
 */
final class ClientHellos {

    static final int TLS_1_1 = 0x0302;
    static final int TLS_1_2 = 0x0303;
    static final int HANDSHAKE = 22;
    static final int ALERT = 21;

    private ClientHellos() {
    }

    /** The content type of the first record the server at {@code port} answers a ClientHello of {@code version} with. */
    static int answer(int port, int version) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(hello(version));
            socket.getOutputStream().flush();
            return new DataInputStream(socket.getInputStream()).readUnsignedByte();
        }
    }

    private static byte[] hello(int version) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        short16(body, version);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        body.writeBytes(random);
        body.write(0); // no session id
        // ECDHE-ECDSA with AES-GCM (TLS 1.2) and AES-CBC-SHA (TLS 1.0 and 1.1); the same with RSA.
        int[] suites = {0xC02B, 0xC02F, 0xC009, 0xC013};
        short16(body, suites.length * 2);
        for (int suite : suites) {
            short16(body, suite);
        }
        body.write(1);
        body.write(0); // no compression
        ByteArrayOutputStream extensions = new ByteArrayOutputStream();
        extension(extensions, 0x000a, new byte[] {0, 2, 0, 0x17}); // supported groups: secp256r1
        extension(extensions, 0x000b, new byte[] {1, 0}); // EC point formats: uncompressed
        extension(extensions, 0x000d, new byte[] {0, 4, 4, 3, 4, 1}); // signatures: ecdsa_secp256r1_sha256, rsa_pkcs1_sha256
        short16(body, extensions.size());
        body.writeBytes(extensions.toByteArray());

        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(HANDSHAKE);
        short16(record, 0x0301); // the record layer's version, as clients send it
        short16(record, body.size() + 4);
        record.write(1); // ClientHello
        record.write(0);
        short16(record, body.size());
        record.writeBytes(body.toByteArray());
        return record.toByteArray();
    }

    private static void extension(ByteArrayOutputStream out, int type, byte[] data) {
        short16(out, type);
        short16(out, data.length);
        out.writeBytes(data);
    }

    private static void short16(ByteArrayOutputStream out, int value) {
        out.write(value >> 8 & 0xff);
        out.write(value & 0xff);
    }
}

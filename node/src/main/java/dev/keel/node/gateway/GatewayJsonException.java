package dev.keel.node.gateway;

/** A request body the gateway cannot turn into the method's request message; the text is what etcd says. */
final class GatewayJsonException extends RuntimeException {
    GatewayJsonException(String message) {
        super(message, null, false, false);
    }
}

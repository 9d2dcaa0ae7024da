package dev.keel.node.gateway;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import io.grpc.Status;

/** The HTTP answers etcd's gateway gives, byte for byte where they are deterministic. */
final class GatewayResponses {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private GatewayResponses() {
    }

    /** etcd's client handler adds these to every answer (its CORS defaults). */
    static ResponseHeadersBuilder cors(ResponseHeadersBuilder b) {
        return b.add("access-control-allow-headers", "accept, content-type, authorization")
                .add("access-control-allow-methods", "POST, GET, OPTIONS, PUT, DELETE")
                .add("access-control-allow-origin", "*");
    }

    /** @param fromGrpc whether the answer came from the gRPC service (grpc-gateway then adds the metadata header) */
    static ResponseHeadersBuilder jsonHeaders(HttpStatus status, boolean fromGrpc) {
        ResponseHeadersBuilder b = cors(ResponseHeaders.builder(status)).contentType(MediaType.JSON);
        return fromGrpc ? b.add("grpc-metadata-content-type", "application/grpc") : b;
    }

    static void writeJson(HttpResponseWriter out, HttpStatus status, String body, boolean fromGrpc) {
        HttpData data = HttpData.ofUtf8(body);
        // A length rather than chunks, as etcd's gateway sends a unary answer.
        out.tryWrite(jsonHeaders(status, fromGrpc).contentLength(data.length()).build());
        out.tryWrite(data);
        out.close();
    }

    /** grpc-gateway's error body: {@code {"error":T,"message":T,"code":N}} with the code's HTTP status. */
    static void writeError(HttpResponseWriter out, Status.Code code, String text) {
        writeJson(out, HttpCodes.of(code), errorBody(code, text), false);
    }

    static HttpResponse error(Status.Code code, String text) {
        return HttpResponse.of(jsonHeaders(HttpCodes.of(code), false).build(), HttpData.ofUtf8(errorBody(code, text)));
    }

    static String errorBody(Status.Code code, String text) {
        JsonObject o = new JsonObject();
        o.addProperty("error", text);
        o.addProperty("message", text);
        o.addProperty("code", code.value());
        return json(o);
    }

    /** Go's http.Error: text/plain, the text and a newline. */
    static HttpResponse plain(HttpStatus status, String text) {
        return HttpResponse.of(cors(ResponseHeaders.builder(status)).contentType(MediaType.PLAIN_TEXT_UTF_8)
                .add("x-content-type-options", "nosniff").build(), HttpData.ofUtf8(text + "\n"));
    }

    /** JSON as Go's encoding/json writes it: '<', '>' and '&' escaped, nothing else. */
    static String json(JsonObject o) {
        return GSON.toJson(o).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }
}

package io.mallgate.tracing;

import static io.mallgate.testsupport.Await.result;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * An OTLP/HTTP trace receiver on 127.0.0.1, port 0, as a collector would be: {@code POST /v1/traces} with an
 * {@code application/x-protobuf} {@code ExportTraceServiceRequest}, answered 200 with an empty
 * {@code ExportTraceServiceResponse}. Keeps every payload's raw bytes (to search them for canaries) and every span.
 */
final class OtlpReceiver implements AutoCloseable {

  /** One exported span, as a collector reads it. Ids in lower-case hex; the parent's is "" for a root. */
  record Exported(String traceId, String spanId, String parentSpanId, String traceState, String name, String kind,
      Map<String, Object> attributes, List<String> events, boolean error, Map<String, Object> resource) {

    Object attribute(String key) {
      return attributes.get(key);
    }

    boolean childOf(Exported parent) {
      return traceId.equals(parent.traceId) && parentSpanId.equals(parent.spanId);
    }
  }

  private final Vertx vertx;
  private final HttpServer server;
  private final List<byte[]> payloads = new CopyOnWriteArrayList<>();
  private final List<Exported> spans = new CopyOnWriteArrayList<>();
  private final List<String> refused = new CopyOnWriteArrayList<>();

  OtlpReceiver(Vertx vertx) {
    this.vertx = vertx;
    server = result(vertx.createHttpServer().requestHandler(this::receive).listen(0, "127.0.0.1"));
  }

  /** The traces URL to configure as {@code tracing.otlpEndpoint}. */
  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1/traces";
  }

  List<Exported> spans() {
    return List.copyOf(spans);
  }

  /** The first span received that matches, if any. */
  Optional<Exported> find(Predicate<Exported> matching) {
    return spans.stream().filter(matching).findFirst();
  }

  List<Exported> all(Predicate<Exported> matching) {
    return spans.stream().filter(matching).toList();
  }

  int payloadCount() {
    return payloads.size();
  }

  /** Requests this receiver refused (wrong path, method or content type): a test expects none. */
  List<String> refused() {
    return List.copyOf(refused);
  }

  /** The canaries found anywhere in the payloads' bytes (names, attributes, events, resource), as they are. */
  List<String> containing(Iterable<String> canaries) {
    List<String> found = new java.util.ArrayList<>();
    for (byte[] payload : payloads) {
      String text = new String(payload, StandardCharsets.ISO_8859_1); // byte for byte: UTF-8 text stays findable
      for (String canary : canaries) {
        String bytes = new String(canary.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        if (text.contains(bytes) && !found.contains(canary)) {
          found.add(canary);
        }
      }
    }
    return found;
  }

  private void receive(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      if (request.method() != HttpMethod.POST || !"/v1/traces".equals(request.path())
          || !"application/x-protobuf".equals(request.getHeader("Content-Type"))
          || request.getHeader("Content-Encoding") != null) {
        refused.add(request.method() + " " + request.path() + " " + request.getHeader("Content-Type"));
        request.response().setStatusCode(415).end();
        return;
      }
      byte[] bytes = body.getBytes();
      // On a worker: the first parse loads and builds protobuf's descriptors, which can hold a thread for seconds on
      // a loaded machine, and this event loop is the one the gateways under test share.
      vertx.executeBlocking(() -> read(bytes)).onComplete(read -> {
        if (read.succeeded()) {
          request.response().putHeader("Content-Type", "application/x-protobuf")
              .end(Buffer.buffer(ExportTraceServiceResponse.getDefaultInstance().toByteArray()));
        } else {
          refused.add("unreadable protobuf");
          request.response().setStatusCode(400).end();
        }
      });
    });
  }

  private boolean read(byte[] bytes) throws InvalidProtocolBufferException {
    ExportTraceServiceRequest export = ExportTraceServiceRequest.parseFrom(bytes);
    for (ResourceSpans resourceSpans : export.getResourceSpansList()) {
      Map<String, Object> resource = attributes(resourceSpans.getResource());
      for (ScopeSpans scope : resourceSpans.getScopeSpansList()) {
        scope.getSpansList().forEach(span -> spans.add(exported(span, resource)));
      }
    }
    payloads.add(bytes); // last: a test that counts payloads finds their spans already read
    return true;
  }

  private static Exported exported(io.opentelemetry.proto.trace.v1.Span span, Map<String, Object> resource) {
    HexFormat hex = HexFormat.of();
    Map<String, Object> attributes = new LinkedHashMap<>();
    span.getAttributesList().forEach(kv -> attributes.put(kv.getKey(), value(kv.getValue())));
    return new Exported(hex.formatHex(span.getTraceId().toByteArray()), hex.formatHex(span.getSpanId().toByteArray()),
        hex.formatHex(span.getParentSpanId().toByteArray()), span.getTraceState(), span.getName(),
        span.getKind().name().replace("SPAN_KIND_", ""), attributes,
        span.getEventsList().stream().map(io.opentelemetry.proto.trace.v1.Span.Event::getName).toList(),
        span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR, resource);
  }

  private static Map<String, Object> attributes(Resource resource) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    for (KeyValue kv : resource.getAttributesList()) {
      attributes.put(kv.getKey(), value(kv.getValue()));
    }
    return attributes;
  }

  private static Object value(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case INT_VALUE -> value.getIntValue();
      case BOOL_VALUE -> value.getBoolValue();
      case DOUBLE_VALUE -> value.getDoubleValue();
      default -> value.toString();
    };
  }

  @Override
  public void close() {
    result(server.close());
  }
}

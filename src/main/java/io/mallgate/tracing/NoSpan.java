package io.mallgate.tracing;

/** {@link Span#NONE}: every method does nothing and returns this one instance. */
final class NoSpan implements Span {

  @Override
  public boolean recording() {
    return false;
  }

  @Override
  public Span child(String name, Kind kind) {
    return this;
  }

  @Override
  public Span set(String key, String value) {
    return this;
  }

  @Override
  public Span set(String key, long value) {
    return this;
  }

  @Override
  public Span set(String key, boolean value) {
    return this;
  }

  @Override
  public Span event(String name) {
    return this;
  }

  @Override
  public Span failed(Throwable failure) {
    return this;
  }

  @Override
  public Span failed(String errorType) {
    return this;
  }

  @Override
  public void end() {
    // nothing to end
  }

  @Override
  public String toString() {
    return "Span.NONE";
  }
}

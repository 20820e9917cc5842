package io.pulse.engine;

/**
 * Marker for every message, event and state that crosses an actor or journal boundary; bound to
 * Jackson CBOR in the serialization configuration.
 */
public interface CborSerializable {}

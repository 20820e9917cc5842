package io.pulse.api.json;

/** An event of a batch that was not accepted, by its position in the request. */
public record EventRejection(int index, String error) {}

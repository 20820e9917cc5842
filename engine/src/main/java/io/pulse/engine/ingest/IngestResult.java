package io.pulse.engine.ingest;

/** How many events of a request were accepted and how many were recognised as retries. */
public record IngestResult(int accepted, int duplicates) {}

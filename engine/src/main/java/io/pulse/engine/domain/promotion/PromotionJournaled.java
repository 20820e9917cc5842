package io.pulse.engine.domain.promotion;

import io.pulse.engine.CborSerializable;

/**
 * Every promotion event and state that is journaled or snapshotted; bound to the journal
 * serializer, which stores each under a stable type name.
 */
public interface PromotionJournaled extends CborSerializable {}

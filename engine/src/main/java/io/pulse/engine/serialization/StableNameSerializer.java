package io.pulse.engine.serialization;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;

/**
 * Jackson CBOR under stable type names rather than class names, so that stored classes can be moved
 * or renamed without breaking the journal. Subclasses name their types; a name is never renamed,
 * only added.
 */
abstract class StableNameSerializer extends SerializerWithStringManifest {

  private final int identifier;
  private final Map<Class<?>, String> manifests = new HashMap<>();
  private final Map<String, ObjectReader> readers = new HashMap<>();
  private final ObjectWriter writer;

  StableNameSerializer(
      ExtendedActorSystem system, int identifier, List<Map<String, Class<?>>> typeNames) {
    this.identifier = identifier;
    ObjectMapper mapper =
        JacksonObjectMapperProvider.get(system)
            .getOrCreate("jackson-cbor", Optional.of(new CBORFactory()))
            .copy()
            .registerModule(
                new SimpleModule("pulse-iso-instants")
                    .addSerializer(Instant.class, new IsoInstants.Serializer())
                    .addDeserializer(Instant.class, new IsoInstants.Deserializer()));
    this.writer = mapper.writer();
    for (Map<String, Class<?>> names : typeNames) {
      names.forEach(
          (name, type) -> {
            manifests.put(type, name);
            readers.put(name, mapper.readerFor(type));
          });
    }
  }

  @Override
  public int identifier() {
    return identifier;
  }

  @Override
  public String manifest(Object object) {
    String manifest = manifests.get(object.getClass());
    if (manifest == null) {
      throw new IllegalArgumentException("no journal type name for " + object.getClass());
    }
    return manifest;
  }

  @Override
  public byte[] toBinary(Object object) {
    return writeWithJackson(object);
  }

  /** What Jackson writes for {@code object}. */
  final byte[] writeWithJackson(Object object) {
    try {
      return writer.writeValueAsBytes(object);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize " + object.getClass().getName(), e);
    }
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    return readWithJackson(bytes, manifest);
  }

  /** What Jackson reads from {@code bytes} stored under {@code manifest}. */
  final Object readWithJackson(byte[] bytes, String manifest) throws NotSerializableException {
    ObjectReader reader = readers.get(manifest);
    if (reader == null) {
      throw new NotSerializableException("unknown journal type name '" + manifest + "'");
    }
    try {
      return reader.readValue(bytes);
    } catch (IOException e) {
      throw new NotSerializableException(
          "cannot read a '" + manifest + "' from the journal: " + e.getMessage());
    }
  }
}

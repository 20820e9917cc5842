package io.pulse.api.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperFactory;

/**
 * Pekko's {@code jackson-json} mapper, the one the HTTP API reads and writes with, made strict: no
 * value is coerced into another kind. A string where a number, a whole number or a boolean belongs
 * is refused (Jackson would read {@code "120"} as 120, and {@code "NaN"} as NaN even with scalar
 * coercion off), and so is a number or a boolean where a string belongs, a fraction where a whole
 * number belongs, and a number too large for a double. Other bindings (the journal's CBOR) keep
 * Pekko's defaults.
 */
public final class StrictJsonMappers extends JacksonObjectMapperFactory {

  /** The binding of Pekko's JSON mapper. */
  public static final String HTTP_BINDING = "jackson-json";

  @Override
  public ObjectMapper newObjectMapper(String bindingName, JsonFactory jsonFactory) {
    if (!HTTP_BINDING.equals(bindingName)) {
      return super.newObjectMapper(bindingName, jsonFactory);
    }
    return strict(JsonMapper.builder(jsonFactory));
  }

  /** A mapper built by {@code builder} that coerces nothing. */
  public static ObjectMapper strict(JsonMapper.Builder builder) {
    ObjectMapper mapper = builder.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS).build();
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper.registerModule(
        new SimpleModule("pulse-strict-numbers")
            .addDeserializer(Double.class, new FiniteDoubles(Double.class))
            .addDeserializer(double.class, new FiniteDoubles(double.class)));
    return mapper;
  }

  /**
   * Doubles only from JSON numbers, and only finite ones: Jackson's own reads {@code "NaN"} and
   * {@code "Infinity"} from strings before any coercion setting is consulted, and {@code 1e400} as
   * infinity.
   */
  static final class FiniteDoubles extends StdScalarDeserializer<Double> {
    private static final long serialVersionUID = 1L;

    FiniteDoubles(Class<?> type) {
      super(type);
    }

    @Override
    public Double deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      JsonToken token = parser.currentToken();
      if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
        double value = parser.getDoubleValue();
        if (!Double.isFinite(value)) {
          return (Double) context.reportInputMismatch(this, "a number out of range");
        }
        return value;
      }
      return (Double) context.handleUnexpectedToken(handledType(), parser);
    }

    @Override
    public Double getNullValue(DeserializationContext context) throws JsonMappingException {
      if (handledType() == double.class) {
        return (Double) context.reportInputMismatch(this, "null where a number belongs");
      }
      return null;
    }
  }
}

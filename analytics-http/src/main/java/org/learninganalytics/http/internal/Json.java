package org.learninganalytics.http.internal;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import org.learninganalytics.http.internal.Problem.FieldError;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.javalin.http.Context;

/**
 * JSON in and out. Requests are read strictly (unknown fields, trailing data, null for a
 * number or a wrong type are 400 with a JSON pointer to the culprit); enums travel as the
 * lower-case words of the contract ({@code org_admin}, {@code weekly}).
 */
public final class Json {

    public static final ObjectMapper MAPPER = createMapper();

    private Json() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ObjectMapper createMapper() {
        SimpleModule enums = new SimpleModule("lower-case-enums");
        enums.addSerializer(Enum.class, (StdSerializer) new StdSerializer<Enum>(Enum.class) {
            @Override
            public void serialize(Enum value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(value.name().toLowerCase(Locale.ROOT));
            }
        });
        enums.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type, BeanDescription beanDesc,
                                                              JsonDeserializer<?> deserializer) {
                return new LowerCaseEnumDeserializer((Class<Enum>) type.getRawClass());
            }
        });
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(enums)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
    }

    /** An enum from exactly its lower-case word, as the contract spells it ({@code org_admin}, not {@code ORG_ADMIN}). */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final class LowerCaseEnumDeserializer extends StdDeserializer<Enum> {
        private final Class<Enum> type;

        LowerCaseEnumDeserializer(Class<Enum> type) {
            super(type);
            this.type = type;
        }

        @Override
        public Enum deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() == JsonToken.VALUE_STRING) {
                String text = parser.getText();
                for (Enum constant : type.getEnumConstants()) {
                    if (constant.name().toLowerCase(Locale.ROOT).equals(text)) return constant;
                }
                return (Enum) context.handleWeirdStringValue(type, text, "not one of the allowed values");
            }
            return (Enum) context.handleUnexpectedToken(type, parser);
        }
    }

    /** The body as {@code type}, requiring {@code application/json} (or {@code mediaType}); 400/415 otherwise. */
    public static <T> T read(Context ctx, Class<T> type) {
        return read(ctx, type, "application/json");
    }

    public static <T> T read(Context ctx, Class<T> type, String mediaType) {
        requireContentType(ctx, mediaType);
        byte[] body = ctx.bodyAsBytes();
        if (body.length == 0) throw new ApiException(ProblemType.BAD_REQUEST, "A JSON request body is required.");
        try {
            return MAPPER.readValue(body, type);
        } catch (IOException e) {
            throw toProblem(e);
        }
    }

    /** The body as a tree (for merge patches), with the same checks. */
    public static JsonNode readTree(Context ctx, String mediaType) {
        requireContentType(ctx, mediaType);
        byte[] body = ctx.bodyAsBytes();
        if (body.length == 0) throw new ApiException(ProblemType.BAD_REQUEST, "A JSON request body is required.");
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) throw new ApiException(ProblemType.BAD_REQUEST, "A JSON request body is required.");
            return node;
        } catch (IOException e) {
            throw toProblem(e);
        }
    }

    /** JSON text the database stored (always valid), as a tree; null stays null. */
    public static JsonNode stored(String json) {
        if (json == null) return null;
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("stored JSON is not JSON", e);
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static void requireContentType(Context ctx, String mediaType) {
        String given = ctx.contentType();
        String bare = given == null ? "" : given.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!bare.equals(mediaType)) {
            throw new ApiException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "The request body must be " + mediaType + ".");
        }
    }

    /** A client-safe 400 that points at the offending part of the body; Jackson's message is not echoed. */
    static ApiException toProblem(IOException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String pointer = pointer(mapping.getPath());
            String detail;
            if (e instanceof UnrecognizedPropertyException) detail = "unknown field";
            else if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) detail = "wrong type or value";
            else detail = "invalid value";
            return new ApiException(ProblemType.VALIDATION, "The request body is invalid at " + pointer + ": " + detail + ".",
                    List.of(new FieldError(pointer, detail)), java.util.Map.of());
        }
        if (e instanceof MismatchedInputException) {
            return new ApiException(ProblemType.VALIDATION, "The request body has the wrong shape.",
                    List.of(new FieldError("", "wrong shape")), java.util.Map.of());
        }
        return new ApiException(ProblemType.BAD_REQUEST, "The request body is not valid JSON.");
    }

    private static String pointer(List<JsonMappingException.Reference> path) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            pointer.append('/');
            if (ref.getFieldName() != null) {
                pointer.append(ref.getFieldName().replace("~", "~0").replace("/", "~1"));
            } else {
                pointer.append(ref.getIndex());
            }
        }
        return pointer.toString();
    }
}

package dev.keel.node.gateway;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.MalformedJsonException;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.util.JsonFormat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSON as etcd 3.4's grpc-gateway reads and writes it (jsonpb with {@code OrigName}): field names as in etcd's
 * .proto ({@code range_end}, {@code dbSize}, {@code ID}), lowerCamel names also accepted on input, unknown fields
 * ignored, 64-bit integers as strings, bytes as base64, defaults omitted, enums by name (numbers accepted), and
 * the {@link Etcd34Fields etcd 3.4 fields} jetcd's classes lack.
 */
final class GatewayJson {
    private static final JsonFormat.Parser STRICT = JsonFormat.parser();
    private static final JsonFormat.Parser LENIENT = JsonFormat.parser().ignoringUnknownFields();
    private static final Pattern BAD_INTEGER = Pattern.compile("Not an? (u?int(?:32|64)) value: \"?([^\"]*)\"?");
    private static final Pattern COLUMN = Pattern.compile("column (\\d+)");
    private static final Pattern BAD_ENUM = Pattern.compile("Invalid enum value: (.*) for enum type: ([\\w.]+)");
    private static final JsonFormat.Printer PRINTER =
            JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private GatewayJson() {
    }

    /**
     * Parses one JSON value into a message of {@code prototype}'s type; {@code null} (or no value) is the empty
     * message, as in Go.
     *
     * @throws GatewayJsonException with Go's wording where it can be matched (see docs/compatibility.md)
     */
    static Message parse(String value, Message prototype) {
        Message.Builder builder = prototype.newBuilderForType();
        if (value == null || value.equals("null")) {
            return builder.build();
        }
        char c = value.charAt(0);
        if (c != '{') {
            throw new GatewayJsonException(notAnObject(c));
        }
        strictSyntax(value);
        // protobuf-java takes a number or bool in a bytes field as base64 text ("1234", "true"); Go refuses it
        JsonObject tree = tree(value);
        String wrongType = tree == null ? null : notBytes(tree, prototype.getDescriptorForType());
        if (wrongType != null) {
            throw new GatewayJsonException(wrongType);
        }
        try {
            // Strict first: the lenient parser also drops enum names it does not know, which Go refuses.
            STRICT.merge(value, builder);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            if (!String.valueOf(e.getMessage()).startsWith("Cannot find field")) {
                throw new GatewayJsonException(goText(e));
            }
            builder = prototype.newBuilderForType();
            try {
                LENIENT.merge(value, builder); // unknown fields are ignored, as jsonpb does
            } catch (InvalidProtocolBufferException | RuntimeException again) {
                throw new GatewayJsonException(goText(again));
            }
        }
        Descriptor d = builder.getDescriptorForType();
        if (Etcd34Fields.reachable(d)) {
            readExtras(tree != null ? tree : JsonParser.parseString(value).getAsJsonObject(), builder);
        }
        return builder.build();
    }

    /** @return the body as a JSON tree, or null if Gson cannot read it (the parse below words why) */
    private static JsonObject tree(String value) {
        try {
            return JsonParser.parseString(value).getAsJsonObject();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Go refuses a bytes field that holds no string by the JSON type it met (protobuf-java tries it as base64).
     *
     * @return Go's text for the first such field, or null for none
     */
    private static String notBytes(JsonObject json, Descriptor d) {
        for (Map.Entry<String, JsonElement> e : json.entrySet()) {
            FieldDescriptor f = d.findFieldByName(e.getKey());
            f = f != null ? f : d.getFields().stream().filter(x -> x.getJsonName().equals(e.getKey())).findFirst()
                    .orElse(null);
            JsonElement v = e.getValue();
            if (f == null || v.isJsonNull()) {
                continue;
            }
            String found = null;
            boolean string = v.isJsonPrimitive() && v.getAsJsonPrimitive().isString();
            if (f.getType() == FieldDescriptor.Type.BYTES && !f.isRepeated() && !string && !v.isJsonArray()) {
                String kind = v.isJsonObject() ? "object" : v.getAsJsonPrimitive().isBoolean() ? "bool" : "number";
                return "json: cannot unmarshal " + kind + " into Go value of type []uint8";
            }
            if (f.getType() == FieldDescriptor.Type.MESSAGE) {
                if (v.isJsonObject()) {
                    found = notBytes(v.getAsJsonObject(), f.getMessageType());
                } else if (v.isJsonArray()) {
                    for (JsonElement item : v.getAsJsonArray()) {
                        found = found == null && item.isJsonObject()
                                ? notBytes(item.getAsJsonObject(), f.getMessageType()) : found;
                    }
                }
            }
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /**
     * Go accepts only standard JSON; protobuf-java's parser goes through Gson's lenient mode (single quotes,
     * unquoted names, comments). A strict read first refuses those, naming the character as Go does.
     */
    private static void strictSyntax(String value) {
        JsonReader reader = new JsonReader(new StringReader(value));
        reader.setLenient(false);
        try {
            reader.skipValue();
        } catch (MalformedJsonException e) {
            Matcher at = COLUMN.matcher(String.valueOf(e.getMessage()));
            int i = badCharacter(value, at.find() ? Integer.parseInt(at.group(1)) : 0);
            char c = i >= 0 ? value.charAt(i) : '?';
            throw new GatewayJsonException("invalid character '" + (c == '\'' ? "\\'" : String.valueOf(c))
                    + "' looking for beginning of " + (i >= 0 && expectsKey(value, i) ? "object key string" : "value"));
        } catch (IOException | RuntimeException e) {
            // truncation and the like: the parse below words them
        }
    }

    /** Gson's column is one or two past the character it refused, depending on whether it had consumed it. */
    private static int badCharacter(String value, int column) {
        int i = column - 2;
        if (i >= 0 && i < value.length() && "{[,: \t\r\n".indexOf(value.charAt(i)) >= 0) {
            i++;
        }
        return i >= 0 && i < value.length() ? i : -1;
    }

    /** @return whether position {@code i} is where an object member's name belongs (after '{' or an object's ',') */
    private static boolean expectsKey(String s, int i) {
        java.util.ArrayDeque<Character> open = new java.util.ArrayDeque<>();
        char last = ' ';
        for (int j = 0; j < i; j++) {
            char c = s.charAt(j);
            if (c == '"') {
                for (j++; j < i && s.charAt(j) != '"'; j++) {
                    j += s.charAt(j) == '\\' ? 1 : 0;
                }
            } else if (c == '{' || c == '[') {
                open.push(c);
            } else if ((c == '}' || c == ']') && !open.isEmpty()) {
                open.pop();
            }
            last = Character.isWhitespace(c) ? last : c;
        }
        return last == '{' || (last == ',' && !open.isEmpty() && open.peek() == '{');
    }

    /** @return the message in etcd's gateway JSON */
    static String print(Message m) {
        String json;
        try {
            json = PRINTER.print(m);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a response JSON cannot print", e);
        }
        if (!Etcd34Fields.reachable(m.getDescriptorForType())) {
            return json;
        }
        return GSON.toJson(writeExtras(JsonParser.parseString(json).getAsJsonObject(), m));
    }

    private static String notAnObject(char c) {
        String kind = switch (c) {
            case '[' -> "array";
            case '"' -> "string";
            case 't', 'f' -> "bool";
            default -> (c == '-' || Character.isDigit(c)) ? "number" : null;
        };
        return kind == null ? "invalid character '" + c + "' looking for beginning of value"
                : "json: cannot unmarshal " + kind + " into Go value of type map[string]json.RawMessage";
    }

    /** protobuf-java's reasons, reworded as Go's where the meaning is the same. */
    private static String goText(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (m.contains("EOFException") || m.contains("End of input")) {
            return "unexpected EOF";
        }
        Matcher integer = BAD_INTEGER.matcher(m);
        if (integer.find()) {
            return badInteger(integer.group(1), integer.group(2));
        }
        Matcher enumValue = BAD_ENUM.matcher(m);
        if (enumValue.find()) {
            return "unknown value \"" + enumValue.group(1) + "\" for enum " + goEnumName(enumValue.group(2));
        }
        if (m.startsWith("Invalid bool value")) {
            return "json: cannot unmarshal " + (m.contains("\"") ? "string" : "number") + " into Go value of type bool";
        }
        return m;
    }

    /**
     * Go's jsonpb takes a quoted integer's content out of its quotes and decodes that as JSON: a number that is no
     * integer is refused by type, anything else by its first character.
     */
    private static String badInteger(String type, String value) {
        if (value.isEmpty()) {
            return "unexpected end of JSON input";
        }
        char c = value.charAt(0);
        if (c == '-' || Character.isDigit(c)) {
            return "json: cannot unmarshal number " + value + " into Go value of type " + type;
        }
        if (value.equals("true") || value.equals("false")) {
            return "json: cannot unmarshal bool into Go value of type " + type;
        }
        return "invalid character '" + c + "' looking for beginning of value";
    }

    /** Go names a nested enum {@code package.Outer_Inner}: etcdserverpb.Compare_CompareTarget. */
    private static String goEnumName(String protoName) {
        int dot = protoName.indexOf('.');
        return dot < 0 ? protoName : protoName.substring(0, dot + 1) + protoName.substring(dot + 1).replace('.', '_');
    }

    private static void readExtras(JsonObject json, Message.Builder b) {
        Descriptor d = b.getDescriptorForType();
        UnknownFieldSet.Builder unknown = null;
        for (Etcd34Fields.Extra e : Etcd34Fields.of(d)) {
            JsonElement v = json.has(e.name()) ? json.get(e.name()) : json.get(e.camelName());
            if (v == null || v.isJsonNull()) {
                continue;
            }
            long bits = extraValue(e, v);
            if (bits != 0) {
                unknown = unknown == null ? UnknownFieldSet.newBuilder(b.getUnknownFields()) : unknown;
                unknown.mergeField(e.number(), UnknownFieldSet.Field.newBuilder().addVarint(bits).build());
            }
        }
        if (unknown != null) {
            b.setUnknownFields(unknown.build());
        }
        for (Map.Entry<String, JsonElement> entry : json.entrySet()) {
            FieldDescriptor f = field(d, entry.getKey());
            if (f == null || f.getJavaType() != FieldDescriptor.JavaType.MESSAGE
                    || !Etcd34Fields.reachable(f.getMessageType()) || entry.getValue().isJsonNull()) {
                continue;
            }
            if (f.isRepeated()) {
                JsonArray items = entry.getValue().getAsJsonArray();
                for (int i = 0; i < items.size() && i < b.getRepeatedFieldCount(f); i++) {
                    readExtras(items.get(i).getAsJsonObject(), b.getRepeatedFieldBuilder(f, i));
                }
            } else {
                readExtras(entry.getValue().getAsJsonObject(), b.getFieldBuilder(f));
            }
        }
    }

    private static long extraValue(Etcd34Fields.Extra e, JsonElement v) {
        JsonPrimitive p = v.getAsJsonPrimitive();
        try {
            return switch (e.kind()) {
                case BOOL -> {
                    if (!p.isBoolean()) {
                        throw new GatewayJsonException("json: cannot unmarshal " + (p.isString() ? "string" : "number")
                                + " into Go value of type bool");
                    }
                    yield p.getAsBoolean() ? 1 : 0;
                }
                case INT64 -> Long.parseLong(p.getAsString());
                case UINT64 -> Long.parseUnsignedLong(p.getAsString());
            };
        } catch (NumberFormatException x) {
            throw new GatewayJsonException("json: cannot unmarshal " + (p.isString() ? "string" : "number " + p)
                    + " into Go value of type " + (e.kind() == Etcd34Fields.Kind.INT64 ? "int64" : "uint64"));
        }
    }

    private static FieldDescriptor field(Descriptor d, String name) {
        FieldDescriptor f = d.findFieldByName(name);
        if (f != null) {
            return f;
        }
        for (FieldDescriptor candidate : d.getFields()) {
            if (candidate.getJsonName().equals(name)) {
                return candidate;
            }
        }
        return null;
    }

    /** Adds the message's extras to its printed JSON, every member in field-number order as jsonpb writes. */
    private static JsonObject writeExtras(JsonObject json, Message m) {
        Descriptor d = m.getDescriptorForType();
        record Member(int number, String name, JsonElement value) {
        }
        List<Member> members = new ArrayList<>();
        for (Map.Entry<String, JsonElement> entry : json.entrySet()) {
            FieldDescriptor f = d.findFieldByName(entry.getKey());
            JsonElement value = entry.getValue();
            if (f != null && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                    && Etcd34Fields.reachable(f.getMessageType())) {
                value = nestedExtras(f, value, m);
            }
            members.add(new Member(f == null ? Integer.MAX_VALUE : f.getNumber(), entry.getKey(), value));
        }
        UnknownFieldSet unknown = m.getUnknownFields();
        for (Etcd34Fields.Extra e : Etcd34Fields.of(d)) {
            UnknownFieldSet.Field field = unknown.getField(e.number());
            List<Long> varints = field.getVarintList();
            long v = varints.isEmpty() ? 0 : varints.get(varints.size() - 1);
            if (v != 0) {
                JsonElement printed = switch (e.kind()) {
                    case BOOL -> new JsonPrimitive(true);
                    case INT64 -> new JsonPrimitive(Long.toString(v));
                    case UINT64 -> new JsonPrimitive(Long.toUnsignedString(v));
                };
                members.add(new Member(e.number(), e.name(), printed));
            }
        }
        members.sort(Comparator.comparingInt(Member::number));
        JsonObject out = new JsonObject();
        for (Member member : members) {
            out.add(member.name(), member.value());
        }
        return out;
    }

    private static JsonElement nestedExtras(FieldDescriptor f, JsonElement value, Message m) {
        if (!f.isRepeated()) {
            return writeExtras(value.getAsJsonObject(), (Message) m.getField(f));
        }
        JsonArray in = value.getAsJsonArray();
        JsonArray out = new JsonArray();
        for (int i = 0; i < in.size(); i++) {
            out.add(writeExtras(in.get(i).getAsJsonObject(), (Message) m.getRepeatedField(f, i)));
        }
        return out;
    }
}

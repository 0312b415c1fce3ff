using LeaseActors.Files;
using LeaseActors.Processes;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LeaseActors.Cluster.Sharding;

// Json.NET builds a value through a public constructor or settable properties; these kernel values have neither (they
// are made by factories that check their arguments), so crossing a node would turn them into defaults. Registered in
// ShardedKernelNode.RequiredConfig.

/// <summary>Writes an <see cref="FdRef"/> as its number or name.</summary>
public sealed class FdRefJsonConverter : JsonConverter<FdRef>
{
    /// <inheritdoc />
    public override void WriteJson(JsonWriter writer, FdRef value, JsonSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WritePropertyName("n");
        writer.WriteValue(value.Number);
        writer.WritePropertyName("s");
        writer.WriteValue(value.Name);
        writer.WriteEndObject();
    }

    /// <inheritdoc />
    public override FdRef ReadJson(JsonReader reader, Type objectType, FdRef existingValue, bool hasExistingValue, JsonSerializer serializer)
    {
        var o = JObject.Load(reader);
        var name = o.Value<string?>("s");
        return name is not null ? FdRef.Named(name) : FdRef.Of(o.Value<int?>("n") ?? 0);
    }
}

/// <summary>Writes a <see cref="ProcessRef"/> as its pid or name and whether it is a group.</summary>
public sealed class ProcessRefJsonConverter : JsonConverter<ProcessRef>
{
    /// <inheritdoc />
    public override void WriteJson(JsonWriter writer, ProcessRef value, JsonSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WritePropertyName("p");
        writer.WriteValue(value.Pid);
        writer.WritePropertyName("s");
        writer.WriteValue(value.Name);
        writer.WritePropertyName("g");
        writer.WriteValue(value.IsGroup);
        writer.WriteEndObject();
    }

    /// <inheritdoc />
    public override ProcessRef ReadJson(JsonReader reader, Type objectType, ProcessRef existingValue, bool hasExistingValue, JsonSerializer serializer)
    {
        var o = JObject.Load(reader);
        var name = o.Value<string?>("s");
        var group = o.Value<bool?>("g") ?? false;
        if (name is not null) return group ? ProcessRef.GroupOf(name) : ProcessRef.Named(name);
        var pid = o.Value<int?>("p") ?? 0;
        return ProcessRef.Of(group ? -pid : pid);
    }
}

/// <summary>Writes a <see cref="BlockSet"/> as its blocks.</summary>
public sealed class BlockSetJsonConverter : JsonConverter<BlockSet>
{
    /// <inheritdoc />
    public override void WriteJson(JsonWriter writer, BlockSet? value, JsonSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNull();
            return;
        }
        writer.WriteStartArray();
        foreach (var block in value) writer.WriteValue(block);
        writer.WriteEndArray();
    }

    /// <inheritdoc />
    public override BlockSet? ReadJson(JsonReader reader, Type objectType, BlockSet? existingValue, bool hasExistingValue, JsonSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (reader.TokenType == JsonToken.Null) return null;
        return BlockSet.Of(JArray.Load(reader).Select(t => t.Value<long>()));
    }
}

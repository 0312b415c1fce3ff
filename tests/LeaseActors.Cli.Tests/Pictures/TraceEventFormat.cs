using System.Text.Json;

namespace LeaseActors.Cli.Tests.Pictures;

/// <summary>
/// Checks a document against the Chrome trace-event format (the JSON Object Format: a <c>traceEvents</c> array) as
/// far as the pictures use it: required fields per phase, non-decreasing timestamps per track, begin/end pairs that
/// match and nest, complete events that nest, and flows with both ends. Returns what is wrong, one line each.
/// </summary>
internal static class TraceEventFormat
{
    private static readonly HashSet<string> Phases = ["B", "E", "X", "i", "I", "s", "t", "f", "M", "C"];

    public static List<string> Problems(string json)
    {
        var problems = new List<string>();
        using var doc = JsonDocument.Parse(json);
        if (!doc.RootElement.TryGetProperty("traceEvents", out var events) || events.ValueKind != JsonValueKind.Array)
            return ["no traceEvents array"];
        var lastTs = new Dictionary<(long, long), double>();
        var open = new Dictionary<(long, long), Stack<string>>();
        var complete = new Dictionary<(long, long), Stack<(double End, string Name)>>();
        var flowStarts = new Dictionary<long, double>();
        var flowEnds = new Dictionary<long, double>();
        var index = 0;
        foreach (var e in events.EnumerateArray())
        {
            var at = $"event {index++}";
            if (e.ValueKind != JsonValueKind.Object) { problems.Add(at + ": not an object"); continue; }
            if (!Str(e, "ph", out var ph) || !Phases.Contains(ph)) { problems.Add(at + ": no or unknown ph"); continue; }
            if (!Str(e, "name", out var name) || (ph != "E" && name.Length == 0)) problems.Add(at + ": no name");
            if (!Num(e, "ts", out var ts) || ts < 0) { problems.Add(at + ": no or negative ts"); continue; }
            if (!Num(e, "pid", out var pid) || !Num(e, "tid", out var tid)) { problems.Add(at + ": no pid or tid"); continue; }
            if (ph == "M")
            {
                if (!e.TryGetProperty("args", out var args) || args.ValueKind != JsonValueKind.Object) problems.Add(at + ": metadata without args");
                continue;
            }
            var track = ((long)pid, (long)tid);
            if (lastTs.TryGetValue(track, out var last) && ts < last) problems.Add($"{at} ({name}): ts {ts} before {last} on track {track}");
            lastTs[track] = ts;
            switch (ph)
            {
                case "X":
                    if (!Num(e, "dur", out var dur) || dur < 0) { problems.Add($"{at} ({name}): complete event without a non-negative dur"); break; }
                    // Complete events on one track must nest: each ends before the one it starts inside of ends.
                    var enclosing = complete.TryGetValue(track, out var cs) ? cs : complete[track] = new();
                    while (enclosing.Count > 0 && enclosing.Peek().End <= ts && !(enclosing.Peek().End == ts && dur == 0)) enclosing.Pop();
                    if (enclosing.Count > 0 && ts + dur > enclosing.Peek().End)
                        problems.Add($"{at} ({name}): [{ts}, {ts + dur}] overlaps '{enclosing.Peek().Name}' ending at {enclosing.Peek().End} on track {track} without nesting");
                    enclosing.Push((ts + dur, name));
                    break;
                case "B":
                    (open.TryGetValue(track, out var st) ? st : open[track] = new()).Push(name);
                    break;
                case "E":
                    if (!open.TryGetValue(track, out var s) || s.Count == 0) problems.Add($"{at} ({name}): end without a begin on track {track}");
                    else if (s.Pop() is var begun && name.Length > 0 && begun != name) problems.Add($"{at}: end of '{name}' closes '{begun}' on track {track}");
                    break;
                case "i" or "I":
                    if (Str(e, "s", out var scope) && scope is not ("t" or "p" or "g")) problems.Add($"{at} ({name}): instant scope '{scope}'");
                    break;
                case "s" or "f":
                    if (!Num(e, "id", out var id)) { problems.Add($"{at} ({name}): flow without id"); break; }
                    var ends = ph == "s" ? flowStarts : flowEnds;
                    if (!ends.TryAdd((long)id, ts)) problems.Add($"{at}: flow {id} has two '{ph}' events");
                    break;
            }
        }
        foreach (var (track, stack) in open)
            if (stack.Count > 0) problems.Add($"track {track}: {stack.Count} begin(s) never ended ({string.Join(", ", stack)})");
        foreach (var (id, ts) in flowStarts)
        {
            if (!flowEnds.TryGetValue(id, out var end)) problems.Add($"flow {id}: starts but never ends");
            else if (end < ts) problems.Add($"flow {id}: ends at {end}, before it starts at {ts}");
        }
        foreach (var id in flowEnds.Keys.Where(id => !flowStarts.ContainsKey(id))) problems.Add($"flow {id}: ends but never starts");
        return problems;
    }

    private static bool Str(JsonElement e, string name, out string value)
    {
        value = e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : "";
        return p.ValueKind == JsonValueKind.String;
    }

    private static bool Num(JsonElement e, string name, out double value)
    {
        value = e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number ? p.GetDouble() : 0;
        return p.ValueKind == JsonValueKind.Number;
    }
}

using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Monitors;

/// <summary>
/// Who holds which open file description, rebuilt from the trace (<c>fd.installed</c>, <c>fd.closed</c>,
/// <c>mmap</c>, <c>munmap</c>, <c>process.exited</c>), so monitors can ask "does this process still hold it?"
/// without asking the model.
/// </summary>
public sealed class Holdings
{
    private readonly Dictionary<string, Dictionary<long, long>> _fds = new(StringComparer.Ordinal); // process → fd → ofd
    private readonly Dictionary<(string Process, long Ofd), int> _mappings = [];
    private readonly Dictionary<long, string> _paths = [];

    /// <summary>Updates the view with one event; other kinds are ignored.</summary>
    public void Apply(TraceEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        switch (e.Kind)
        {
            case "fd.installed":
                Table(e.Str("process"))[e.Number("fd")] = e.Number("ofd");
                _paths[e.Number("ofd")] = e.Str("path");
                break;
            case "fd.closed":
                Table(e.Str("process")).Remove(e.Number("fd"));
                break;
            case "mmap":
                _mappings[(e.Str("process"), e.Number("ofd"))] = _mappings.GetValueOrDefault((e.Str("process"), e.Number("ofd"))) + 1;
                break;
            case "munmap":
                _mappings[(e.Str("process"), e.Number("ofd"))] = _mappings.GetValueOrDefault((e.Str("process"), e.Number("ofd"))) - 1;
                break;
            case "process.exited":
                _fds.Remove(e.Str("process"));
                RemoveMappingsOf(e.Str("process"));
                break;
        }
    }

    // Apart from Apply: a lambda there capturing the event would allocate its closure on every event, not only on exits.
    private void RemoveMappingsOf(string process)
    {
        foreach (var key in _mappings.Keys.Where(k => k.Process == process).ToList()) _mappings.Remove(key);
    }

    /// <summary>Whether <paramref name="process"/> holds <paramref name="ofd"/> through an fd or a mapping.</summary>
    public bool Holds(string process, long ofd) =>
        (_fds.TryGetValue(process, out var table) && table.ContainsValue(ofd)) || _mappings.GetValueOrDefault((process, ofd)) > 0;

    /// <summary>The description <paramref name="process"/>'s fd <paramref name="fd"/> refers to, if any.</summary>
    public long? At(string process, long fd) => _fds.TryGetValue(process, out var table) && table.TryGetValue(fd, out var ofd) ? ofd : null;

    /// <summary>Every process holding <paramref name="ofd"/>, in name order.</summary>
    public IReadOnlyList<string> HoldersOf(long ofd)
    {
        // Loops rather than a query: the region monitor asks on every fd, mapping and exit event of a run.
        List<string>? holders = null;
        foreach (var (process, table) in _fds)
            if (table.ContainsValue(ofd) || _mappings.GetValueOrDefault((process, ofd)) > 0) (holders ??= []).Add(process);
        foreach (var ((process, mapped), count) in _mappings)
            if (mapped == ofd && count > 0 && !_fds.ContainsKey(process)) (holders ??= []).Add(process);
        if (holders is null) return [];
        holders.Sort(StringComparer.Ordinal);
        return holders;
    }

    /// <summary>The path a description was opened by (or "description N").</summary>
    public string PathOf(long ofd) => _paths.TryGetValue(ofd, out var path) ? path : "description " + ofd;

    private Dictionary<long, long> Table(string process)
    {
        if (!_fds.TryGetValue(process, out var table)) _fds[process] = table = [];
        return table;
    }
}

/// <summary>Typed reads of <see cref="TraceEvent"/> fields.</summary>
public static class TraceEventFields
{
    /// <summary>A string field, or "" when absent.</summary>
    public static string Str(this TraceEvent e, string field)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e[field] as string ?? "";
    }

    /// <summary>An integer field, or 0 when absent.</summary>
    public static long Number(this TraceEvent e, string field)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e[field] switch
        {
            long l => l,
            int i => i,
            _ => 0,
        };
    }
}

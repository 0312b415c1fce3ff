namespace LeaseActors.Testing;

/// <summary>
/// How a lease-based read cache shows in a trace, by step labels, for <see cref="TraceQueries.StaleReads"/>: a reader
/// fills its cache at a step labelled <see cref="Fill"/> (normally after its read lease is granted), drops it at a step
/// labelled <see cref="Drop"/> (normally in its SIGIO handler, before it unlocks), and serves reads at steps whose label
/// starts with <see cref="ServePrefix"/>; the writer changes the file at its step <see cref="WriteLabel"/>.
/// </summary>
/// <remarks>
/// A serve is decided when it is entered: from the cache if the reader's cache is filled then, else from the file.
/// It is <em>stale</em> when it serves from a cache filled before the writer's write returned, and the write returned
/// before the serve was entered — a read that began after a completed write and still returned the old value (the
/// linearizability condition for one writer). Fill and drop take effect when their step returns (or is reached, for a
/// <see cref="Processes.LabelStep"/>); a failed fill (an errno) fills nothing. Order is trace order, not only time.
/// </remarks>
/// <param name="Writer">The writing process.</param>
/// <param name="WriteLabel">The label of the writer's write step.</param>
public sealed record CacheProtocol(string Writer, string WriteLabel)
{
    /// <summary>The label of a reader's cache fill. Default <c>fill</c>.</summary>
    public string Fill { get; init; } = "fill";

    /// <summary>The label of a reader's cache drop. Default <c>drop</c>.</summary>
    public string Drop { get; init; } = "drop";

    /// <summary>The prefix of the labels of a reader's serves (<c>serve-1</c>, <c>serve-2</c>, …). Default <c>serve</c>.</summary>
    public string ServePrefix { get; init; } = "serve";
}

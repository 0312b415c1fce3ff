namespace LeaseActors.Testing;

/// <summary>A read served from a stale cache.</summary>
/// <param name="Reader">The reading process.</param>
/// <param name="Serve">The serve step's label.</param>
/// <param name="ServedAt">When the serve was entered (virtual time).</param>
/// <param name="FilledAt">When the reader's cache had been filled.</param>
/// <param name="WriteReturnedAt">When the writer's write had returned.</param>
public sealed record StaleRead(string Reader, string Serve, TimeSpan ServedAt, TimeSpan FilledAt, TimeSpan WriteReturnedAt)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{Reader}.{Serve} at {ServedAt.TotalMilliseconds} ms served the cache filled at {FilledAt.TotalMilliseconds} ms, after the write returned at {WriteReturnedAt.TotalMilliseconds} ms";
}

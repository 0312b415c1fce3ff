using System.Collections;
using System.Collections.Immutable;
using System.Text.Json;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Files;

/// <summary>
/// A set of FS-DAX block numbers kept as runs of consecutive blocks (a file's blocks are mostly contiguous), in the
/// order given. Enumerates every block; writes itself to a trace as <c>[[first, count], …]</c>; intersects in time
/// proportional to the number of runs.
/// </summary>
public sealed class BlockSet : IReadOnlyCollection<long>, ICanonicalValue, IEquatable<BlockSet>
{
    private readonly ImmutableArray<(long First, long Count)> _runs;

    private BlockSet(ImmutableArray<(long First, long Count)> runs)
    {
        _runs = runs;
        Count = (int)runs.Sum(r => r.Count);
    }

    /// <summary>No blocks.</summary>
    public static BlockSet Empty { get; } = new([]);

    /// <summary>The runs: first block and how many consecutive blocks.</summary>
    public ImmutableArray<(long First, long Count)> Runs => _runs;

    /// <summary>How many blocks.</summary>
    public int Count { get; }

    /// <summary>The blocks of <paramref name="blocks"/>, in their order, grouped into runs.</summary>
    public static BlockSet Of(IEnumerable<long> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var runs = ImmutableArray.CreateBuilder<(long, long)>();
        long first = 0, count = 0;
        foreach (var block in blocks)
        {
            if (count > 0 && block == first + count)
            {
                count++;
                continue;
            }
            if (count > 0) runs.Add((first, count));
            first = block;
            count = 1;
        }
        if (count > 0) runs.Add((first, count));
        return runs.Count == 0 ? Empty : new BlockSet(runs.ToImmutable());
    }

    /// <summary>The blocks of <paramref name="runs"/> (first block, count), in their order; adjacent runs are joined as <see cref="Of"/> would.</summary>
    internal static BlockSet OfRuns(IEnumerable<(long First, long Count)> runs)
    {
        var joined = ImmutableArray.CreateBuilder<(long, long)>();
        long first = 0, count = 0;
        foreach (var (f, n) in runs)
        {
            if (n <= 0) continue;
            if (count > 0 && f == first + count)
            {
                count += n;
                continue;
            }
            if (count > 0) joined.Add((first, count));
            first = f;
            count = n;
        }
        if (count > 0) joined.Add((first, count));
        return joined.Count == 0 ? Empty : new BlockSet(joined.ToImmutable());
    }

    /// <summary>Whether any block is in both sets.</summary>
    public bool Overlaps(BlockSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (a, n) in _runs)
            foreach (var (b, m) in other._runs)
                if (a < b + m && b < a + n) return true;
        return false;
    }

    /// <summary>The blocks of this set that are also in <paramref name="other"/>, in this set's order.</summary>
    public BlockSet Intersect(BlockSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Of(this.Where(b => other.Contains(b)));
    }

    /// <summary>Whether <paramref name="block"/> is in the set.</summary>
    public bool Contains(long block) => _runs.Any(r => block >= r.First && block < r.First + r.Count);

    /// <inheritdoc />
    public IEnumerator<long> GetEnumerator()
    {
        foreach (var (first, count) in _runs)
            for (var i = 0L; i < count; i++) yield return first + i;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public void WriteCanonical(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        foreach (var (first, count) in _runs)
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(first);
            writer.WriteNumberValue(count);
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
    }

    /// <inheritdoc />
    public bool Equals(BlockSet? other) => other is not null && _runs.SequenceEqual(other._runs);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as BlockSet);

    /// <inheritdoc />
    public override int GetHashCode() => _runs.Aggregate(17, (h, r) => HashCode.Combine(h, r.First, r.Count));

    /// <inheritdoc />
    public override string ToString() => string.Join(",", _runs.Select(r => r.Count == 1 ? $"{r.First}" : $"{r.First}-{r.First + r.Count - 1}"));
}

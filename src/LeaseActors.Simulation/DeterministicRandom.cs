namespace LeaseActors.Simulation;

/// <summary>
/// The engine's own pseudo-random generator: xoshiro256** seeded through SplitMix64.
/// </summary>
/// <remarks>
/// <see cref="System.Random"/> with a seed is not guaranteed to give the same sequence across .NET versions,
/// so a replayable run cannot use it. This generator's output depends only on its seed and on the calls
/// made to it, on every runtime and machine. It is not thread-safe: each run owns its instances, and
/// independent consumers take independent streams with <see cref="Derive(ulong, string)"/> so that one
/// consumer drawing more numbers never shifts another's sequence.
/// </remarks>
public sealed class DeterministicRandom
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates a generator whose sequence is fixed by <paramref name="seed"/>.</summary>
    public DeterministicRandom(ulong seed) => Reseed(seed);

    /// <summary>Restarts the generator as if it had just been created with <paramref name="seed"/>.</summary>
    public void Reseed(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>
    /// Derives a seed for an independent stream from a parent seed and a stream name
    /// (FNV-1a over the name, mixed with the parent through SplitMix64). Stable across runtimes.
    /// </summary>
    public static ulong Derive(ulong seed, string stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var h = 14695981039346656037UL;
        foreach (var c in stream)
        {
            h ^= c;
            h *= 1099511628211UL;
        }
        var x = seed ^ h;
        return SplitMix64(ref x);
    }

    /// <summary>Derives a seed from a parent seed and an index, e.g. run <c>i</c> of a campaign with seed <c>S</c>.</summary>
    public static ulong Derive(ulong seed, long index)
    {
        var x = seed + 0x9E3779B97F4A7C15UL * (ulong)(index + 1);
        var a = SplitMix64(ref x);
        return SplitMix64(ref a);
    }

    /// <summary>The next 64 uniformly distributed bits.</summary>
    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniformly distributed integer in [0, <paramref name="exclusiveMax"/>), without modulo bias.</summary>
    public int Next(int exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveMax);
        return (int)NextBounded((ulong)exclusiveMax);
    }

    /// <summary>A uniformly distributed integer in [<paramref name="min"/>, <paramref name="exclusiveMax"/>).</summary>
    public long NextInRange(long min, long exclusiveMax)
    {
        if (exclusiveMax <= min) throw new ArgumentOutOfRangeException(nameof(exclusiveMax), "must be greater than min");
        return min + (long)NextBounded((ulong)(exclusiveMax - min));
    }

    /// <summary>A uniformly distributed double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>True with probability <paramref name="p"/> (clamped to [0, 1]).</summary>
    public bool NextBool(double p) => p >= 1.0 || (p > 0.0 && NextDouble() < p);

    private ulong NextBounded(ulong bound)
    {
        // Lemire's nearly divisionless method: unbiased, usually a single multiplication.
        var x = NextUInt64();
        var m = Math.BigMul(x, bound, out var low);
        if (low < bound)
        {
            var threshold = (0UL - bound) % bound;
            while (low < threshold)
            {
                x = NextUInt64();
                m = Math.BigMul(x, bound, out low);
            }
        }
        return m;
    }

    private static ulong SplitMix64(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}

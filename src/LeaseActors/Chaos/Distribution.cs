using LeaseActors.Simulation;

namespace LeaseActors.Chaos;

/// <summary>A distribution of delays, sampled from a run's seeded stream.</summary>
public abstract record Distribution
{
    /// <summary>Draws one delay (never negative).</summary>
    public abstract TimeSpan Sample(DeterministicRandom random);

    /// <summary>Always <paramref name="Value"/>.</summary>
    public sealed record Fixed(TimeSpan Value) : Distribution
    {
        /// <inheritdoc />
        public override TimeSpan Sample(DeterministicRandom random) => Value;

        /// <inheritdoc />
        public override string ToString() => $"fixed {Value.TotalMilliseconds} ms";
    }

    /// <summary>Uniform between <paramref name="Min"/> and <paramref name="Max"/>.</summary>
    public sealed record Uniform(TimeSpan Min, TimeSpan Max) : Distribution
    {
        /// <inheritdoc />
        public override TimeSpan Sample(DeterministicRandom random)
        {
            ArgumentNullException.ThrowIfNull(random);
            return Ticks(Min.Ticks + (Max.Ticks - Min.Ticks) * random.NextDouble());
        }

        /// <inheritdoc />
        public override string ToString() => $"uniform {Min.TotalMilliseconds}–{Max.TotalMilliseconds} ms";
    }

    /// <summary>Exponential with mean <paramref name="Mean"/>.</summary>
    public sealed record Exponential(TimeSpan Mean) : Distribution
    {
        /// <inheritdoc />
        public override TimeSpan Sample(DeterministicRandom random)
        {
            ArgumentNullException.ThrowIfNull(random);
            return Ticks(-Mean.Ticks * Math.Log(1 - random.NextDouble()));
        }

        /// <inheritdoc />
        public override string ToString() => $"exponential mean {Mean.TotalMilliseconds} ms";
    }

    /// <summary>Log-normal: the delay's natural logarithm (of milliseconds) is normal with <paramref name="Mu"/> and <paramref name="Sigma"/>.</summary>
    public sealed record LogNormal(double Mu, double Sigma) : Distribution
    {
        /// <inheritdoc />
        public override TimeSpan Sample(DeterministicRandom random)
        {
            ArgumentNullException.ThrowIfNull(random);
            // Box–Muller from two uniform draws of the run's stream.
            var u1 = 1 - random.NextDouble();
            var u2 = random.NextDouble();
            var normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            return Ticks(Math.Exp(Mu + Sigma * normal) * TimeSpan.TicksPerMillisecond);
        }

        /// <inheritdoc />
        public override string ToString() => $"log-normal mu {Mu} sigma {Sigma} (ms)";
    }

    /// <summary>Whole microseconds, so a delay prints and replays exactly.</summary>
    private static TimeSpan Ticks(double ticks) =>
        TimeSpan.FromTicks((long)Math.Max(0, Math.Round(ticks / TimeSpan.TicksPerMicrosecond)) * TimeSpan.TicksPerMicrosecond);
}

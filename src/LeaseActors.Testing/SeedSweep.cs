using System.Collections.Immutable;
using System.Globalization;
using LeaseActors.Judging;

namespace LeaseActors.Testing;

/// <summary>
/// A scenario run for many seeds (<see cref="ScenarioBuilder.ForSeeds(Range)"/>): each seed is one deterministic
/// schedule and one sample of the chaos plan. Runs are made lazily, in seed order, on one driver, and kept once made.
/// </summary>
/// <remarks>
/// <see cref="AssertEverySeed"/> is for properties that must hold for every schedule (it stops at the first failing
/// seed and names it); <see cref="FindFailure"/> is for showing that a broken design is caught (it returns the first
/// failing run, and fails itself when no seed fails).
/// </remarks>
public sealed class SeedSweep
{
    private readonly Func<KernelFixture, ulong, ScenarioRun> _run;
    private readonly Dictionary<ulong, ScenarioRun> _done = [];

    internal SeedSweep(ImmutableArray<ulong> seeds, Func<KernelFixture, ulong, ScenarioRun> run)
    {
        Seeds = seeds;
        _run = run;
    }

    /// <summary>The seeds, in the order they run.</summary>
    public ImmutableArray<ulong> Seeds { get; }

    /// <summary>Makes the runs on <paramref name="fixture"/>'s driver instead of a fixture of the sweep's own.</summary>
    public SeedSweep On(KernelFixture fixture)
    {
        Fixture = fixture ?? throw new ArgumentNullException(nameof(fixture));
        return this;
    }

    /// <summary>The fixture runs are made on, or null for one made (and disposed) per call.</summary>
    public KernelFixture? Fixture { get; private set; }

    /// <summary>Every seed's run.</summary>
    public IReadOnlyList<ScenarioRun> Runs() => [.. Each()];

    /// <summary>How many seeds gave each verdict.</summary>
    public IReadOnlyDictionary<Verdict, int> VerdictCounts() =>
        Each().GroupBy(r => r.Verdict).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>
    /// Runs <paramref name="assertion"/> on every seed's run, in order, and fails at the first seed where it throws,
    /// with the assertion's message, how many seeds passed before, and the run's <see cref="ScenarioRun.Describe"/>.
    /// </summary>
    public SeedSweep AssertEverySeed(Action<ScenarioRun> assertion)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        var passed = 0;
        foreach (var run in Each())
        {
            try
            {
                assertion(run);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var message = e is LeaseActorsAssertionException ? e.Message : e.Message + "\n" + run.Describe();
                throw new LeaseActorsAssertionException($"seed {run.Seed} fails ({passed} of {Seeds.Length} seeds passed before it): {message}", e) { Seed = run.Seed };
            }
            passed++;
        }
        return this;
    }

    /// <summary>Fails unless every seed's verdict is <paramref name="verdict"/>.</summary>
    public SeedSweep AssertVerdict(Verdict verdict) => AssertEverySeed(r => r.AssertVerdict(verdict));

    /// <summary>The first run (in seed order) that satisfies <paramref name="predicate"/>, or null.</summary>
    public ScenarioRun? FirstWhere(Func<ScenarioRun, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return Each().FirstOrDefault(predicate);
    }

    /// <summary>
    /// The first run (in seed order) on which <paramref name="assertion"/> fails, with that failure. Fails itself when
    /// every seed passes: a test that shows a bug is found must not pass when it is not.
    /// </summary>
    public (ScenarioRun Run, Exception Failure) FindFailure(Action<ScenarioRun> assertion)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        foreach (var run in Each())
        {
            try
            {
                assertion(run);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return (run, e);
            }
        }
        throw new LeaseActorsAssertionException(string.Create(CultureInfo.InvariantCulture,
            $"expected a failing seed among {Describe(Seeds)}, but the assertion held for all {Seeds.Length}"));
    }

    private IEnumerable<ScenarioRun> Each()
    {
        KernelFixture? own = null;
        try
        {
            foreach (var seed in Seeds)
            {
                if (!_done.TryGetValue(seed, out var run))
                {
                    var fixture = Fixture ?? (own ??= new KernelFixture());
                    _done[seed] = run = _run(fixture, seed);
                }
                yield return run;
            }
        }
        finally
        {
            own?.Dispose();
        }
    }

    private static string Describe(ImmutableArray<ulong> seeds) =>
        seeds.Length == 0 ? "no seeds" : seeds.Length == 1 ? $"seed {seeds[0]}" : $"seeds {seeds[0]}…{seeds[^1]}";
}

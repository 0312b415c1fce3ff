using System.Collections.Immutable;
using System.Globalization;

namespace LeaseActors.Conformance.Observation;

/// <summary>The two observed traces of one topology side by side, row by row, and whether they agree.</summary>
public sealed record Comparison
{
    /// <summary>The rows, in table order; a row missing on one side has a null value there.</summary>
    public ImmutableArray<ComparisonRow> Rows { get; init; } = [];

    /// <summary>True when every row agrees.</summary>
    public bool Agrees => Rows.All(r => r.Agrees);

    /// <summary>The rows that differ.</summary>
    public IEnumerable<ComparisonRow> Differences => Rows.Where(r => !r.Agrees);

    /// <summary>
    /// Compares <paramref name="emulator"/> with <paramref name="kernel"/>: values must be equal, except two waits of
    /// class <c>other</c>, which agree when their durations are within the tolerance.
    /// </summary>
    public static Comparison Of(ObservedTrace emulator, ObservedTrace kernel, TimeSpan leaseBreakTime)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        ArgumentNullException.ThrowIfNull(kernel);
        var tolerance = WaitClass.ToleranceMs(leaseBreakTime);
        var e = emulator.Observations.ToDictionary(o => o.Key, StringComparer.Ordinal);
        var k = kernel.Observations.ToDictionary(o => o.Key, StringComparer.Ordinal);
        var rows = new List<ComparisonRow>();
        foreach (var key in e.Keys.Union(k.Keys, StringComparer.Ordinal))
        {
            e.TryGetValue(key, out var eo);
            k.TryGetValue(key, out var ko);
            var any = eo ?? ko!;
            var agrees = eo is not null && ko is not null && eo.Value == ko.Value
                && (eo.Value != WaitClass.Other || Math.Abs((eo.Ms ?? 0) - (ko.Ms ?? 0)) < tolerance);
            rows.Add(new ComparisonRow(key, any.Title, Math.Min(eo?.Order ?? long.MaxValue, ko?.Order ?? long.MaxValue), eo, ko, agrees));
        }
        return new Comparison { Rows = [.. rows.OrderBy(r => r.Order).ThenBy(r => r.Key, StringComparer.Ordinal)] };
    }
}

/// <summary>One row of the side-by-side table.</summary>
public sealed record ComparisonRow(string Key, string Title, long Order, Observation? Emulator, Observation? Kernel, bool Agrees)
{
    /// <summary>The emulator's value as the table shows it (<c>—</c> when it has none).</summary>
    public string EmulatorText => Text(Emulator);

    /// <summary>The kernel's value as the table shows it, with the measured wait.</summary>
    public string KernelText => Text(Kernel);

    private static string Text(Observation? o) => o is null ? "—"
        : o.Ms is { } ms ? $"{o.Value} ({ms.ToString("0.#", CultureInfo.InvariantCulture)} ms)" : o.Value;
}

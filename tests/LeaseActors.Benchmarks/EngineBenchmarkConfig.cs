using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;

namespace LeaseActors.Benchmarks;

/// <summary>
/// The configuration every engine benchmark class uses (through <c>[Config]</c>, so it also applies when a class
/// is run on its own): BenchmarkDotNet's defaults plus an <c>Op/s</c> column (messages, runs or steps per
/// second, according to the benchmark's <c>OperationsPerInvoke</c>) and allocations per operation (process-wide, so
/// the two-driver row includes both drivers). The default GitHub-markdown exporter writes
/// <c>BenchmarkDotNet.Artifacts/results/*-report-github.md</c>.
/// </summary>
public sealed class EngineBenchmarkConfig : ManualConfig
{
    public EngineBenchmarkConfig()
    {
        AddColumn(StatisticColumn.OperationsPerSecond);
        AddDiagnoser(MemoryDiagnoser.Default);
        // The GitHub-markdown exporter comes with BenchmarkDotNet's default configuration, which this one extends;
        // adding it again only earns a duplicate-exporter warning.
    }
}

using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;

namespace LeaseActors.Benchmarks;

/// <summary>
/// The configuration every engine benchmark class uses (through <c>[Config]</c>, so it also applies when a class
/// is run on its own): BenchmarkDotNet's defaults plus an <c>Op/s</c> column (messages, runs or steps per
/// second, according to the benchmark's <c>OperationsPerInvoke</c>), allocations per operation, and the
/// GitHub-markdown exporter that writes <c>BenchmarkDotNet.Artifacts/results/*-report-github.md</c>.
/// </summary>
public sealed class EngineBenchmarkConfig : ManualConfig
{
    public EngineBenchmarkConfig()
    {
        AddColumn(StatisticColumn.OperationsPerSecond);
        AddDiagnoser(MemoryDiagnoser.Default);
        // Already in DefaultConfig; added here too so that the markdown report is written under any base config.
        AddExporter(MarkdownExporter.GitHub);
    }
}

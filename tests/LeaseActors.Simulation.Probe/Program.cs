using System.Globalization;
using LeaseActors.Simulation;
using LeaseActors.Simulation.Probe;

// Usage: LeaseActors.Simulation.Probe <seed>... — prints "<seed> <trace sha-256>" per seed, in the order given.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: LeaseActors.Simulation.Probe <seed> [<seed>...]");
    return 2;
}

var seeds = new List<ulong>();
foreach (var arg in args)
{
    if (!ulong.TryParse(arg, NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
    {
        Console.Error.WriteLine($"'{arg}' is not a seed (an unsigned 64-bit integer).");
        return 2;
    }
    seeds.Add(seed);
}

using var system = SimulationSetup.CreateSystem("probe");
using var driver = new SimulationDriver(system);
foreach (var seed in seeds)
{
    var result = ProbeScenario.Run(driver, seed);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{seed} {result.TraceSha256}"));
}
return 0;

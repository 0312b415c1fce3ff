using Akka.Actor;
using LeaseActors.RealTime;

namespace LeaseActors.Hosting.Tests;

/// <summary>The plain API for an existing ActorSystem, without a host: <c>system.LeaseActors()</c>.</summary>
[Trait("Category", "RealTime")]
public sealed class LeaseActorsExtensionTests
{
    [Fact]
    public async Task An_existing_system_creates_kernels_by_name_and_finds_them_again()
    {
        using var system = ActorSystem.Create("extension-tests", "akka.loglevel = WARNING");
        var created = system.LeaseActors().Create(new RealTimeOptions { Name = "k1" });

        Assert.Same(created, system.LeaseActors().Get("k1"));
        Assert.Same(system.LeaseActors(), system.LeaseActors());
        var twice = Assert.Throws<ArgumentException>(() => system.LeaseActors().Create(new RealTimeOptions { Name = "k1" }));
        Assert.Contains("'k1' is already registered", twice.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<KeyNotFoundException>(() => system.LeaseActors().Get());
        Assert.Contains("registered: k1", missing.Message, StringComparison.Ordinal);

        Assert.True(await system.LeaseActors().StopAsync("k1"));
        Assert.False(await system.LeaseActors().StopAsync("k1"));
        Assert.Empty(system.LeaseActors().Kernels);
        await system.Terminate();
    }
}

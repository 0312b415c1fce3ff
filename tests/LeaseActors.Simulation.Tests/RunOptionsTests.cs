namespace LeaseActors.Simulation.Tests;

public sealed class RunOptionsTests
{
    [Fact]
    public void Defaults_are_seed_0_one_hour_horizon_ten_million_steps_random_strategy_and_throw_on_leak()
    {
        var options = new RunOptions();

        Assert.Equal(0UL, options.Seed);
        Assert.Equal(TimeSpan.FromHours(1), options.Horizon);
        Assert.Equal(10_000_000, options.StepLimit);
        Assert.Null(options.Strategy);
        Assert.True(options.ThrowOnLeak);
        Assert.Same(options, options.Validate());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_horizon_that_is_not_positive_is_rejected(int seconds)
    {
        var exception = Assert.Throws<ArgumentException>(() => new RunOptions { Horizon = TimeSpan.FromSeconds(seconds) }.Validate());

        Assert.Equal("Horizon", exception.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void A_step_limit_that_is_not_positive_is_rejected(long steps)
    {
        var exception = Assert.Throws<ArgumentException>(() => new RunOptions { StepLimit = steps }.Validate());

        Assert.Equal("StepLimit", exception.ParamName);
    }
}

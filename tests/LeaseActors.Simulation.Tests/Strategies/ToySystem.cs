using LeaseActors.Simulation.Strategies;

namespace LeaseActors.Simulation.Tests.Strategies;

/// <summary>
/// A scheduler model small enough to count its schedules by hand, without Akka: senders (keys 1…n) each send
/// <c>each</c> messages, one per turn, to a receiver (key n + 1) that takes one message per turn, or to nobody.
/// Like the engine, it asks the strategy only when at least two are ready, and lists the ready ones by key.
/// </summary>
internal static class ToySystem
{
    public static (IReadOnlyList<int> Choices, string Trace) Run(ISchedulingStrategy strategy, ulong seed, int senders, int each, bool receiver)
    {
        strategy.Start(seed);
        var left = Enumerable.Repeat(each, senders).ToArray();
        var inbox = new Queue<string>();
        var choices = new List<int>();
        var trace = new List<string>();
        long steps = 0;
        while (true)
        {
            var ready = Enumerable.Range(0, senders).Where(i => left[i] > 0).Select(i => i + 1).ToList();
            if (inbox.Count > 0) ready.Add(senders + 1);
            if (ready.Count == 0) break;
            var index = 0;
            if (ready.Count > 1)
            {
                index = strategy.Choose(new View(ready, steps));
                Assert.InRange(index, 0, ready.Count - 1);
                choices.Add(index);
            }
            steps++;
            var key = ready[index];
            if (key == senders + 1)
            {
                trace.Add(inbox.Dequeue());
                continue;
            }
            var message = $"s{key - 1}:{each - left[key - 1]}";
            left[key - 1]--;
            if (receiver) inbox.Enqueue(message);
            else trace.Add(message);
        }
        return (choices, string.Join(' ', trace));
    }

    private sealed class View(List<int> keys, long steps) : IReadyView
    {
        public int Count => keys.Count;

        public long StepsTaken => steps;

        public int KeyAt(int index) => keys[index];
    }
}

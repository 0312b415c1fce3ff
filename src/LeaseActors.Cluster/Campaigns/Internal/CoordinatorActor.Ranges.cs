using System.Collections.Immutable;
using Akka.Actor;
using LeaseActors.Campaigns;
using static LeaseActors.Cluster.Campaigns.CampaignWorker;

namespace LeaseActors.Cluster.Campaigns.Internal;

/// <summary>The coordinator's ranges: handing them out, taking them back from lost workers, and the end of the campaign.</summary>
internal sealed partial class CoordinatorActor
{
    /// <summary>The runs in [from, to) not received yet, as ranges of at most <see cref="CoordinatorOptions.RangeSize"/> consecutive runs.</summary>
    private IEnumerable<Range> Undone(long from, long to)
    {
        var i = from;
        while (i < to)
        {
            while (i < to && _done[(int)i]) i++;
            if (i == to) yield break;
            var start = i;
            while (i < to && !_done[(int)i] && i - start < _options.RangeSize) i++;
            yield return new Range(start, i);
        }
    }

    /// <summary>Hands out ranges, one per request in turn, to workers that asked; not before enough workers joined.</summary>
    private void Grant()
    {
        if (_over) return;
        if (!_granting)
        {
            var remote = _workers.Count(w => w.Ready && w.Reachable && w.Node != SelfNode);
            if (remote < _options.MinWorkers || !_workers.Exists(w => w.Ready && w.Reachable)) return;
            _granting = true;
            _waited = _clock.Elapsed;
            if (_options.MinWorkers > 0) _feed.Say($"{remote} worker(s) joined: handing out runs");
        }
        var granted = true;
        while (granted && _pending.Count > 0)
        {
            granted = false;
            foreach (var worker in _workers)
            {
                if (!worker.Ready || !worker.Reachable || worker.Waiting == 0) continue;
                var range = TakePending();
                if (range is not { } r) return;
                worker.Waiting--;
                worker.Held.Add(r);
                worker.Actor.Tell(new RunRange(r.From, r.To));
                granted = true;
            }
        }
    }

    /// <summary>The first pending range with runs not received yet (a requeued range may have been finished by its first worker meanwhile).</summary>
    private Range? TakePending()
    {
        while (_pending.First is { } first)
        {
            _pending.RemoveFirst();
            var left = Undone(first.Value.From, first.Value.To).ToList();
            if (left.Count == 0) continue;
            for (var i = left.Count - 1; i >= 1; i--) _pending.AddFirst(left[i]);
            return left[0];
        }
        return null;
    }

    /// <summary>
    /// Stops counting on <paramref name="worker"/>: its unfinished runs go back to the front of the queue. An unreachable
    /// worker is kept (it may come back, <see cref="Readmit"/>); one that stopped or left is forgotten.
    /// </summary>
    private void Lose(Worker worker, string why, bool forget)
    {
        if (forget) _workers.Remove(worker);
        if (_over || !worker.Reachable) return;
        worker.Reachable = false;
        worker.Waiting = 0;
        var requeued = worker.Held.SelectMany(r => Undone(r.From, r.To)).ToList();
        worker.Held.Clear();
        for (var i = requeued.Count - 1; i >= 0; i--) _pending.AddFirst(requeued[i]);
        var runs = requeued.Sum(r => r.To - r.From);
        foreach (var r in requeued)
            for (var index = r.From; index < r.To; index++) _requeuedFrom[index] = worker.Node;
        if (worker.Ready)
        {
            _lost.Add(new LostWorker(worker.Node, why, runs));
            _feed.Say($"worker {worker.Node} {why}: {runs} of its runs handed out again");
        }
        Grant();
    }

    /// <summary>An unreachable worker is reachable again: it gets as many ranges as it holds at a time, since its earlier requests were dropped.</summary>
    private void Readmit(Worker worker)
    {
        if (_over || worker.Reachable) return;
        worker.Reachable = true;
        worker.Waiting = worker.Ready ? worker.Prefetch : 0;
        if (worker.Ready) _feed.Say($"worker {worker.Node} is reachable again");
        Grant();
    }

    private void Finish()
    {
        _over = true;
        foreach (var worker in _workers) worker.Actor.Tell(new StopCampaign(null));
        _feed.Complete(new ClusterCampaignReport(_received, _runsByNode.ToImmutableSortedDictionary(StringComparer.Ordinal), [.. _lost], _rerunElsewhere, _duplicates, _granting ? _waited : _clock.Elapsed));
    }

    private void Abort(Exception failure)
    {
        if (_over) return;
        _over = true;
        foreach (var worker in _workers) worker.Actor.Tell(new StopCampaign(failure.Message));
        _feed.Fail(failure);
    }
}

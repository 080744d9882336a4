from benchmarks.bench_queries import main, synthetic


def test_benchmark_runs_and_both_sides_answer_alike(capsys):
    results = main(["--size", "300", "--repeat", "2"])
    assert [name for name, _, _ in results][0].startswith("id lookup")
    assert "speed-up" in capsys.readouterr().out


def test_synthetic_dataset_queries_agree_with_scans():
    events = synthetic(500).events
    assert list(events.involving("Actor 7").ids()) == [e.id for e in events if "actor-7" in e.actors]

"""Scoring models on the evaluation sets through a private Rasa server."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path

from training.evaluation import Evaluation, benchmark_score, language_score
from training.evaluation_sets import EvaluationSets
from training.paths import ProjectPaths
from training.rasa_server import RasaClient, local_rasa

# Rasa answers one parse at a time; a few in flight hide the HTTP round trips.
CONCURRENCY = 4


async def predict_all(
    client: RasaClient, texts: Sequence[str], on_done: Callable[[int], None]
) -> list[str]:
    """The final intent Rasa gives each text, in order."""
    semaphore = asyncio.Semaphore(CONCURRENCY)
    results: list[str] = [""] * len(texts)
    done = 0

    async def one(index: int, text: str) -> None:
        nonlocal done
        async with semaphore:
            results[index], _ = await client.parse(text)
        done += 1
        on_done(done)

    await asyncio.gather(*(one(index, text) for index, text in enumerate(texts)))
    return results


async def score_model(
    client: RasaClient, sets: EvaluationSets, on_done: Callable[[int], None]
) -> Evaluation:
    """Every score of the model the client's server has loaded."""
    texts: list[str] = []
    for examples in sets.heldout.values():
        texts.extend(example.text for example in examples)
    for benchmark in sets.benchmarks.values():
        texts.extend(benchmark.sentences)
    predicted = await predict_all(client, texts, on_done)
    cursor = 0
    languages = {}
    for language, examples in sets.heldout.items():
        part = predicted[cursor : cursor + len(examples)]
        cursor += len(examples)
        languages[language] = language_score(language, examples, part)
    benchmarks = {}
    for name, benchmark in sets.benchmarks.items():
        part = predicted[cursor : cursor + len(benchmark.sentences)]
        cursor += len(benchmark.sentences)
        benchmarks[name] = benchmark_score(name, benchmark.language, part)
    return Evaluation(
        testset_fingerprint=sets.fingerprint, languages=languages, benchmarks=benchmarks
    )


async def evaluate_models(
    paths: ProjectPaths,
    models: Sequence[Path],
    sets: EvaluationSets,
    log: Path,
    on_progress: Callable[[int, int], None] = lambda done, total: None,
) -> list[Evaluation]:
    """Score each model in turn on one private Rasa server (models swapped with PUT /model)."""
    if not models:
        return []
    total = sets.size * len(models)
    evaluations: list[Evaluation] = []
    async with local_rasa(paths, models[0], log=log) as (client, _):
        for number, model in enumerate(models):
            if number:
                await client.load_model(model)
            offset = sets.size * number

            def on_done(done: int, offset: int = offset) -> None:
                on_progress(offset + done, total)

            evaluations.append(await score_model(client, sets, on_done))
    return evaluations

"""Reading progress out of `rasa train` output."""

from __future__ import annotations

from pathlib import Path

from training.rasa_training import TrainingProgress, epoch_components

ROOT = Path(__file__).resolve().parents[2]


def test_epoch_components_of_a_config(tmp_path: Path) -> None:
    config = tmp_path / "config.yml"
    config.write_text(
        "pipeline:\n- name: WhitespaceTokenizer\n- name: DIETClassifier\n  epochs: 5\n"
        "policies:\n- name: RulePolicy\n- name: my.pkg.TEDPolicy\n  epochs: 3\n",
        encoding="utf-8",
    )
    assert epoch_components(config) == ["DIETClassifier", "TEDPolicy"]


def test_progress_over_two_components() -> None:
    progress = TrainingProgress(["DIETClassifier", "TEDPolicy"])
    lines = [
        "INFO rasa.engine.training.hooks  - Starting to train component 'DIETClassifier'.",
        "Epochs:  50%|#####     | 5/10 [00:01<00:01, 4.2it/s, t_loss=1.2]",
        "Epochs:  50%|#####     | 5/10 [00:01<00:01, 4.2it/s, t_loss=1.1]",
        "INFO rasa.engine.training.hooks  - Finished training component 'DIETClassifier'.",
        "INFO rasa.engine.training.hooks  - Restored component 'CountVectorsFeaturizer' from cache",
        "INFO rasa.engine.training.hooks  - Starting to train component 'TEDPolicy'.",
        "Epochs:  40%|####      | 2/5 [00:01<00:01]",
    ]
    progress.feed("INFO hooks  - Starting to train component 'RegexFeaturizer'.")
    assert progress.describe() == "RegexFeaturizer"
    changed = [progress.feed(line) for line in lines]
    assert changed == [True, True, False, True, True, True, True]
    assert progress.fraction == (1 + 0.4) / 2
    assert progress.describe() == "TEDPolicy 40%"

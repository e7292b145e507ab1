"""How the engine loads DIET's TensorFlow model: for prediction only, and (forked) late.

Rasa 3.6 builds a loaded model by training it on one example (`RasaModel.load`: compile,
`fit`, then `load_weights`), which traces the whole training graph with its gradients and
optimizer: about 500 MB of the engine's memory that prediction never uses. Weights saved in
TensorFlow's checkpoint format are restored as the variables are created, so building the
model by one prediction restores exactly the variables prediction uses
(`tests/engine/test_diet_loading.py` checks the same intents, confidences and entities on
the held-out sentences as Rasa's own loading).

With several engine processes (`nlu.prefork`) the model must also be built in each forked
worker, not in the parent: `install_deferred_diet` keeps DIET's files and builds its model on
the first message a worker handles; in the parent (before the fork) DIET does nothing.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

_state: dict[str, Any] = {"build_allowed": True, "kept": []}


def install_prediction_only_loading() -> None:
    """`RasaModel.load` without the one-example training fit (inference only)."""
    import tensorflow as tf
    from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
    from rasa.utils.tensorflow.models import RasaModel

    if getattr(RasaModel.load, "_ieum_prediction_only", False):
        return
    rasa_load = RasaModel.load.__func__  # type: ignore[attr-defined]

    def load(
        cls: Any,
        model_file_name: str,
        model_data_example: Any,
        predict_data_example: Any = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        if finetune_mode or predict_data_example is None:
            return rasa_load(
                cls, model_file_name, model_data_example, predict_data_example, finetune_mode,
                *args, **kwargs,
            )  # fmt: skip
        config = kwargs.get("config", {})
        model = cls(*args, **kwargs)
        model.compile(
            optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)),
            run_eagerly=config.get(RUN_EAGERLY),
        )
        status = model.load_weights(model_file_name)
        model.run_inference(predict_data_example)  # creates the variables: restored now
        status.expect_partial()  # the optimizer's slots are not needed to predict
        return model

    load._ieum_prediction_only = True  # type: ignore[attr-defined]
    RasaModel.load = classmethod(load)  # type: ignore[method-assign,assignment]


def install_deferred_diet() -> None:
    """DIET keeps its files at load and builds its model on first use, where allowed."""
    from rasa.nlu.classifiers.diet_classifier import DIETClassifier

    if getattr(DIETClassifier, "_ieum_deferred", False):
        return
    _state["build_allowed"] = False
    rasa_load = DIETClassifier._load.__func__  # type: ignore[attr-defined]
    rasa_process = DIETClassifier.process

    def _load(
        cls: Any,
        model_path: Path,
        config: dict[str, Any],
        model_storage: Any,
        resource: Any,
        execution_context: Any,
    ) -> Any:
        # the model directory is temporary (Rasa deletes it once the graph is loaded)
        kept = Path(tempfile.mkdtemp(prefix="ieum-diet-")) / "model"
        shutil.copytree(model_path, kept)
        _state["kept"].append(kept.parent)
        component = cls(config, model_storage, resource, execution_context)
        component._ieum_pending = (kept, config, model_storage, resource, execution_context)
        return component

    def process(self: Any, messages: list[Any]) -> list[Any]:
        pending = getattr(self, "_ieum_pending", None)
        if pending is not None:
            if not _state["build_allowed"]:
                # the parent before the fork (no TensorFlow runtime here): no model yet, so
                # Rasa's own code sets "no intent" and the later components still run
                return rasa_process(self, messages)
            built = rasa_load(type(self), *pending)
            self.__dict__.update(built.__dict__)
            self._ieum_pending = None
            logger.info("DIET model built in this engine process")
        return rasa_process(self, messages)

    DIETClassifier._load = classmethod(_load)  # type: ignore[method-assign,assignment]
    DIETClassifier.process = process  # type: ignore[method-assign]
    DIETClassifier._ieum_deferred = True  # type: ignore[attr-defined]


def allow_model_build() -> None:
    """In a forked worker: DIET may now build its TensorFlow model."""
    _state["build_allowed"] = True


def cleanup() -> None:
    """The parent, when every worker has stopped: the kept model files go."""
    for folder in _state["kept"]:
        shutil.rmtree(folder, ignore_errors=True)
    _state["kept"].clear()

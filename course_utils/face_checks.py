"""Checkers for the three face-recognition functions a learner writes (notebooks 4.1 to 4.3).

``check_<name>(fn)`` runs the learner's ``fn`` on seeded cases, compares the result with
:mod:`course_utils.face` and prints one line per case, in the format of
:mod:`course_utils.checks`. The ``verify`` and ``who_is_it`` cases use a tiny fixed encoder
(one seeded dense layer on 24x24 synthetic faces), so they run in a second and do not depend
on the shipped weights.
"""

from __future__ import annotations

import numpy as np

from course_utils import checks, face, face_data

__all__ = ["check_triplet_loss", "check_verify", "check_who_is_it", "tiny_encoder", "CASES"]

RTOL = 1e-5
NAMES = ("ada", "bruno", "chen", "dara", "emeka")
_SIZE = 24


def tiny_encoder(size=_SIZE, embedding_size=16, seed=3):
    """A fixed, untrained encoder for the checkers: Flatten -> Dense -> unit length.

    Returns
    -------
    keras.Model
        Input ``(m, size, size, 3)``; output ``(m, embedding_size)``.
    """
    import keras
    from keras import layers

    return keras.Sequential([keras.Input((size, size, 3)), layers.Flatten(),
                             layers.Dense(embedding_size, kernel_initializer=keras.initializers.GlorotUniform(seed)),
                             layers.UnitNormalization()], name="tiny_encoder")


def triplet_loss_cases():
    import tensorflow as tf

    rng = np.random.default_rng(60)

    def unit(m, d):
        x = rng.standard_normal((m, d))
        return tf.constant(x / np.linalg.norm(x, axis=1, keepdims=True), tf.float32)

    cases = [(f"{m} triplets of {d}-d encodings, alpha={alpha}", (None, (unit(m, d), unit(m, d), unit(m, d)), alpha))
             for m, d, alpha in [(3, 4, 0.2), (10, 128, 0.2), (5, 8, 0.5)]]
    a = unit(4, 6)
    cases.append(("positive identical to the anchor, far negative (loss 0)", (None, (a, a, -a), 0.2)))
    cases.append(("negative identical to the anchor (every triplet counts)", (None, (a, unit(4, 6), a), 0.2)))
    return cases


def _scene():
    """The tiny model, a database of five people and new photos of them (and of a stranger)."""
    model = tiny_encoder()
    people = [face_data.photos(identity, 3, size=_SIZE) for identity in range(50, 55)]
    database = {name: face.img_to_encoding(photos[0], model) for name, photos in zip(NAMES, people, strict=True)}
    stranger = face_data.photos(face_data.TEST_OFFSET + 77, 1, size=_SIZE)[0]
    return model, database, people, stranger


def verify_cases():
    model, database, people, stranger = _scene()
    return [
        ("ada's own reference photo (distance 0)", (people[0][0], "ada", database, model, 0.7)),
        ("a new photo of bruno, claiming bruno", (people[1][1], "bruno", database, model, 0.7)),
        ("a new photo of chen, claiming dara", (people[2][2], "dara", database, model, 0.7)),
        ("a stranger claiming emeka, strict threshold 0.3", (stranger, "emeka", database, model, 0.3)),
        ("a stranger claiming emeka, loose threshold 1.5", (stranger, "emeka", database, model, 1.5)),
    ]


def who_is_it_cases():
    model, database, people, stranger = _scene()
    return [
        ("dara's own reference photo", (people[3][0], database, model, 0.7)),
        ("a new photo of emeka", (people[4][1], database, model, 0.7)),
        ("a new photo of ada, threshold 1.5", (people[0][2], database, model, 1.5)),
        ("a stranger, threshold 0.05 (not in the database)", (stranger, database, model, 0.05)),
        ("a database of one person", (people[1][1], {"bruno": database["bruno"]}, model, 0.7)),
    ]


CASES = {"triplet_loss": triplet_loss_cases, "verify": verify_cases, "who_is_it": who_is_it_cases}
_LABELS = {"verify": "door_open", "who_is_it": "identity"}


def _converter(name):
    """Tensors to numbers; the second item of (distance, decision) becomes {label: value}."""

    def convert(value):
        if hasattr(value, "numpy"):
            value = value.numpy()
        if isinstance(value, np.ndarray) and value.ndim == 0:
            return value[()]
        if name in _LABELS and isinstance(value, tuple) and len(value) == 2:
            decision = value[1]
            decision = bool(decision) if isinstance(decision, (bool, np.bool_)) else decision
            return (float(value[0]) if np.ndim(value[0]) == 0 and not isinstance(value[0], str) else value[0],
                    {_LABELS[name]: decision})
        return value

    return convert


def _make_checker(name):
    return checks.make_checker(name, "course_utils.face", CASES[name], convert=_converter(name), rtol=RTOL, atol=1e-6)


check_triplet_loss = _make_checker("triplet_loss")
check_verify = _make_checker("verify")
check_who_is_it = _make_checker("who_is_it")

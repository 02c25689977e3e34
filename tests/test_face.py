"""Face recognition (sections 4.1 to 4.3): generator, course functions, mining, metrics,
bad input, checkers, and the shipped encoder's metrics."""

import numpy as np
import pytest

from course_utils import checks, face, paths
from course_utils.synthetic import identities


@pytest.fixture(scope="module")
def tiny():
    from course_utils.checks.face import tiny_encoder

    return tiny_encoder()


@pytest.fixture(scope="module")
def people():
    return [identities.photos(i, 2, size=24) for i in range(3)]


# --- generator -----------------------------------------------------------------------------

def test_generator_is_seeded_and_varies():
    a = identities.photos(5, 3)
    assert a.shape == (3, 64, 64, 3) and a.dtype == np.uint8
    assert np.array_equal(a, identities.photos(5, 3))
    assert np.array_equal(a[1:], identities.photos(5, 2, start=1))
    assert np.abs(a[0].astype(int) - a[1]).mean() > 20  # two photos of one person differ a lot
    assert identities.identity_traits(5)["face_width"] != identities.identity_traits(6)["face_width"]


def test_train_and_test_people_are_disjoint():
    _, train = identities.face_dataset(3, 1, "train")
    _, test = identities.face_dataset(3, 1, "test")
    assert set(train).isdisjoint(test) and test.min() >= identities.TEST_OFFSET
    with pytest.raises(ValueError, match="split"):
        identities.face_dataset(3, 1, "validation")


def test_raw_pixels_cannot_tell_people_apart():
    images, labels = identities.face_dataset(20, 3, "test")
    metrics = face.evaluate(face.pixel_encodings(images), labels, n_pairs=400, n_trials=50)
    assert metrics["auc"] < 0.75 and metrics["one_shot_10"] < 0.5


# --- the course's functions ----------------------------------------------------------------

def test_triplet_loss_by_hand():
    a = np.array([[1.0, 0.0], [0.0, 1.0]], np.float32)
    p = np.array([[0.0, 1.0], [0.0, 1.0]], np.float32)   # squared distances 2 and 0
    n = np.array([[1.0, 0.0], [1.0, 0.0]], np.float32)   # squared distances 0 and 2
    # max(2 - 0 + 0.2, 0) + max(0 - 2 + 0.2, 0) = 2.2: a sum, not a mean
    assert float(face.triplet_loss(None, (a, p, n))) == pytest.approx(2.2)
    assert float(face.triplet_loss(None, [a, p, n], alpha=0.0)) == pytest.approx(2.0)


def test_encoder_output_is_unit_length():
    model = face.face_encoder()
    assert model.output_shape == (None, 128)
    out = face.encode(identities.photos(1, 3), model)
    assert out.shape == (3, 128) and np.allclose(np.linalg.norm(out, axis=1), 1, atol=1e-5)


def test_verify_and_who_is_it(tiny, people):
    database = {name: face.img_to_encoding(p[0], tiny) for name, p in zip("abc", people, strict=True)}
    dist, door = face.verify(people[1][0], "b", database, tiny)
    assert dist == pytest.approx(0, abs=1e-6) and door is True
    dist, door = face.verify(people[1][0], "a", database, tiny, threshold=0.0)
    expected = np.linalg.norm(database["a"] - database["b"])
    assert dist == pytest.approx(expected, rel=1e-5) and door is False
    assert face.who_is_it(people[2][0], database, tiny)[1] == "c"
    min_dist, identity = face.who_is_it(people[2][1], database, tiny, threshold=-1)
    assert identity is None and min_dist >= 0


def test_img_to_encoding_reads_a_file(tmp_path, tiny, people):
    from PIL import Image

    path = tmp_path / "face.png"
    Image.fromarray(people[0][0]).resize((48, 48)).save(path)
    encoding = face.img_to_encoding(str(path), tiny)
    assert encoding.shape == (1, 16) and np.isclose(np.linalg.norm(encoding), 1, atol=1e-5)
    assert np.linalg.norm(encoding - face.img_to_encoding(people[0][0], tiny)) < 0.2


# --- bad input -----------------------------------------------------------------------------

def test_bad_images(tiny, people):
    with pytest.raises(ValueError, match=r"image must be .*\(24, 24, 3\).*got shape \(32, 32, 3\)"):
        face.img_to_encoding(np.zeros((32, 32, 3), np.uint8), tiny)
    with pytest.raises(ValueError, match="one image"):
        face.img_to_encoding(people[0], tiny)
    with pytest.raises(TypeError, match="image must hold real numbers"):
        face.img_to_encoding(np.zeros((24, 24, 3), bool), tiny)
    with pytest.raises(ValueError, match=r"values in \[0, 1\]"):
        face.img_to_encoding(np.full((24, 24, 3), 200.0), tiny)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        face.img_to_encoding("no/such/file.png", tiny)
    with pytest.raises(TypeError, match="model must be a Keras model"):
        face.img_to_encoding(people[0][0], "facenet")


def test_bad_database(tiny, people):
    database = {"a": face.img_to_encoding(people[0][0], tiny)}
    with pytest.raises(ValueError, match="'zoe' is not in the database.*'a'"):
        face.verify(people[0][1], "zoe", database, tiny)
    with pytest.raises(ValueError, match="database is empty"):
        face.who_is_it(people[0][1], {}, tiny)
    with pytest.raises(ValueError, match="database is empty"):
        face.verify(people[0][1], "a", {}, tiny)
    with pytest.raises(TypeError, match="database must be a dict"):
        face.who_is_it(people[0][1], [database["a"]], tiny)
    with pytest.raises(ValueError, match=r"database\['b'\] must be an encoding of 16 numbers.*got shape \(1, 128\)"):
        face.who_is_it(people[0][1], {**database, "b": np.zeros((1, 128))}, tiny)


def test_bad_triplets_and_metrics():
    a = np.zeros((2, 4), np.float32)
    with pytest.raises(TypeError, match="three"):
        face.triplet_loss(None, (a, a))
    with pytest.raises(ValueError, match="equal shapes"):
        face.triplet_loss(None, (a, a, np.zeros((2, 5), np.float32)))
    # one triplet of (d,) encodings, even as Python lists, gives a scalar (as the course's own test passes)
    assert float(face.triplet_loss(None, ([2.0, 0.0], [2.0, 0.0], [0.0, 0.0]), alpha=5)) == pytest.approx(1.0)
    assert face.triplet_loss(None, ([0.0, 1.0], [0.0, 0.0], [1.0, 1.0])).shape == ()
    with pytest.raises(ValueError, match="same size d; got 4 and 5"):
        face.pairwise_distances(a, np.zeros((3, 5)))
    with pytest.raises(ValueError, match="both True"):
        face.roc_auc([0.1, 0.2], [True, True])
    with pytest.raises(ValueError, match="boolean"):
        face.roc_auc([0.1, 0.2], [1, 0])


# --- mining and metrics --------------------------------------------------------------------

def test_batch_hard_picks_the_hardest_triplet():
    e = np.array([[1, 0], [0.8, 0.6], [0, 1], [0.6, 0.8]], np.float32)
    labels = np.array([0, 0, 1, 1])
    d = ((e[:, None] - e[None]) ** 2).sum(-1)
    expected = np.mean([max(d[0, 1] - d[0, 3] + 0.2, 0), max(d[1, 0] - d[1, 3] + 0.2, 0),
                        max(d[2, 3] - d[2, 1] + 0.2, 0), max(d[3, 2] - d[3, 1] + 0.2, 0)])
    assert float(face.batch_hard_triplet_loss(labels, e)) == pytest.approx(expected, rel=1e-5)


def test_batch_all_averages_the_active_triplets():
    rng = np.random.default_rng(1)
    e = rng.standard_normal((6, 3)).astype(np.float32)
    labels = np.array([0, 0, 1, 1, 2, 2])
    d = ((e[:, None] - e[None]) ** 2).sum(-1)
    losses = [max(d[a, p] - d[a, n] + 0.2, 0) for a in range(6) for p in range(6) for n in range(6)
              if a != p and labels[a] == labels[p] and labels[n] != labels[a]]
    expected = sum(losses) / sum(loss > 0 for loss in losses)
    assert float(face.batch_all_triplet_loss(labels, e)) == pytest.approx(expected, rel=1e-4)
    assert float(face.batch_all_triplet_loss(labels, np.zeros((6, 3), np.float32))) == pytest.approx(0.2)


def test_semi_hard_triplets_lie_in_the_margin():
    rng = np.random.default_rng(0)
    e = rng.standard_normal((12, 3))
    e /= np.linalg.norm(e, axis=1, keepdims=True)
    labels = np.repeat(np.arange(4), 3)
    triplets = face.semi_hard_triplets(labels, e, alpha=0.5)
    assert len(triplets) > 0
    d = ((e[:, None] - e[None]) ** 2).sum(-1)
    for a, p, n in triplets:
        assert labels[a] == labels[p] != labels[n] and a != p
        assert d[a, p] < d[a, n] < d[a, p] + 0.5


def test_roc_and_accuracy():
    distances = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    same = np.array([True, True, False, True, False, False])
    fpr, tpr, _ = face.roc_curve(distances, same)
    assert fpr[0] == tpr[0] == 0 and fpr[-1] == tpr[-1] == 1
    assert face.roc_auc(distances, same) == pytest.approx(8 / 9)  # 8 of 9 (same, different) pairs ordered
    assert face.verification_accuracy(distances, same, 0.25) == pytest.approx(5 / 6)
    threshold, accuracy = face.best_threshold(distances, same)
    assert accuracy == pytest.approx(5 / 6) and 0.2 < threshold < 0.3 or 0.4 < threshold < 0.5
    assert face.roc_auc(-distances, same) == pytest.approx(1 / 9)
    ref = np.eye(3)
    assert face.one_shot_accuracy(ref, [7, 8, 9], ref[[2, 0, 1]] * 0.9, [9, 7, 7]) == pytest.approx(2 / 3)


def test_training_reduces_the_loss():
    images, labels = identities.face_dataset(8, 4, size=32)
    model = face.face_encoder((32, 32, 3), widths=(8, 16, 32))
    _, history = face.train_encoder(images, labels, model, steps=40, identities_per_batch=4,
                                    learning_rate=5e-3, log_every=0)
    assert np.mean(history[-10:]) < np.mean(history[:10])
    with pytest.raises(ValueError, match="mining must be one of"):
        face.train_encoder(images, labels, model, steps=1, mining="random")
    with pytest.raises(ValueError, match="two or more photos"):
        face.train_encoder(images[::4], labels[::4], model, steps=1, identities_per_batch=4)


@pytest.mark.parametrize("mining", ["batch_all", "batch_hard"])
def test_training_on_the_course_triplet_loss_matches_the_built_in_loss(mining):
    import keras

    images, labels = identities.face_dataset(8, 4, size=32)
    histories = []
    for loss in (None, face.triplet_loss):
        keras.utils.set_random_seed(0)
        model = face.face_encoder((32, 32, 3), widths=(8, 16, 32))
        _, history = face.train_encoder(images, labels, model, steps=4, identities_per_batch=4, mining=mining,
                                        log_every=0, loss=loss)
        histories.append(history)
    # the same objective: the course's sum over the mined triplets, divided as the built-in loss averages
    assert np.allclose(histories[0], histories[1], rtol=1e-3, atol=1e-5)


def test_training_refuses_a_loss_without_a_gradient_and_calls_back():
    images, labels = identities.face_dataset(8, 4, size=32)
    model = face.face_encoder((32, 32, 3), widths=(8, 16, 32))

    def numpy_loss(y_true, y_pred, alpha=0.2):
        a, p, n = (np.asarray(t) for t in y_pred)
        return np.sum(np.maximum(((a - p) ** 2).sum(-1) - ((a - n) ** 2).sum(-1) + alpha, 0))

    with pytest.raises(TypeError, match="loss must be built from TensorFlow operations"):
        face.train_encoder(images, labels, model, steps=1, identities_per_batch=4, loss=numpy_loss)
    with pytest.raises(TypeError, match="loss must be a triplet loss function"):
        face.train_encoder(images, labels, model, steps=1, identities_per_batch=4, loss="triplet")
    called = []
    face.train_encoder(images, labels, model, steps=5, identities_per_batch=4, log_every=0, callback_every=2,
                       callback=lambda step, m: called.append(step))
    assert called == [2, 4, 5]


def test_all_triplet_losses_by_brute_force():
    rng = np.random.default_rng(2)
    e = rng.standard_normal((6, 3))
    labels = np.array([0, 0, 1, 1, 1, 2])
    d = ((e[:, None] - e[None]) ** 2).sum(-1)
    expected = [max(d[a, p] - d[a, n] + 0.3, 0) for a in range(6) for p in range(6) for n in range(6)
                if a != p and labels[a] == labels[p] and labels[n] != labels[a]]
    assert np.allclose(face.all_triplet_losses(labels, e, alpha=0.3), expected)
    assert face.all_triplet_losses(np.arange(4), e[:4]).size == 0  # one photo each: no triplet at all
    with pytest.raises(ValueError, match="same length"):
        face.all_triplet_losses(labels[:5], e)


# --- checkers ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["triplet_loss", "verify", "who_is_it"])
def test_checkers_accept_the_reference(name, capsys):
    assert getattr(checks, f"check_{name}")(getattr(face, name))
    assert "well done" in capsys.readouterr().out


def test_checkers_explain_mistakes(capsys):
    import tensorflow as tf

    def mean_loss(y_true, y_pred, alpha=0.2):
        a, p, n = y_pred
        pos = tf.reduce_sum(tf.square(a - p), -1)
        neg = tf.reduce_sum(tf.square(a - n), -1)
        return tf.reduce_mean(tf.maximum(pos - neg + alpha, 0.0))

    assert not checks.check_triplet_loss(mean_loss, verbose=False)
    assert "not a mean" in capsys.readouterr().out

    def on_numpy(y_true, y_pred, alpha=0.2):
        a, p, n = (np.asarray(t, np.float64) for t in y_pred)
        return np.sum(np.maximum(((a - p) ** 2).sum(-1) - ((a - n) ** 2).sum(-1) + alpha, 0))

    assert not checks.check_triplet_loss(on_numpy, verbose=False)
    out = capsys.readouterr().out
    assert "should be a TensorFlow tensor" in out and "7 of 8 cases passed" in out

    def no_lists(y_true, y_pred, alpha=0.2):
        a, p, n = y_pred
        return tf.reduce_sum(tf.maximum(tf.reduce_sum(tf.square(a - p), -1) - tf.reduce_sum(tf.square(a - n), -1)
                                        + alpha, 0.0))

    assert not checks.check_triplet_loss(no_lists, verbose=False)
    assert "tf.convert_to_tensor" in capsys.readouterr().out

    def always_open(image, identity, database, model, threshold=0.7):
        dist, _ = face.verify(image, identity, database, model, threshold)
        return dist, True

    assert not checks.check_verify(always_open)
    assert "door_open" in capsys.readouterr().out

    def never_unknown(image, database, model, threshold=0.7):
        dist, _ = face.who_is_it(image, database, model, threshold=np.inf)
        return dist, "ada"

    assert not checks.check_who_is_it(never_unknown)

    def todo(*args):
        raise NotImplementedError("write me")

    assert not checks.check_who_is_it(todo)
    assert "not written yet" in capsys.readouterr().out


# --- the shipped encoder -------------------------------------------------------------------

@pytest.mark.skipif(not paths.FACE_ENCODER_WEIGHTS.exists(), reason="no shipped weights (tools/train_face_encoder.py)")
def test_shipped_encoder_reaches_its_metrics():
    model, metrics = face.load_encoder()
    assert paths.FACE_ENCODER_WEIGHTS.stat().st_size < 20e6
    images, labels = identities.face_dataset(**metrics["test"]["people"])
    measured = face.evaluate(face.encode(images, model), labels, threshold=metrics["threshold"])
    pixels = face.evaluate(face.pixel_encodings(images), labels)
    assert measured["accuracy"] >= 0.95 and measured["one_shot_10"] >= 0.90
    assert measured["auc"] == pytest.approx(metrics["test"]["auc"], abs=1e-3)
    assert pixels["auc"] < measured["auc"] - 0.2 and pixels["one_shot_10"] < measured["one_shot_10"] - 0.4

"""Architectures of the Keras models and the picture preprocessing helper."""

import numpy as np
import pytest
from PIL import Image

from course_utils import models


def _summary(model):
    return [(type(layer).__name__, tuple(layer.output.shape[1:]), layer.count_params()) for layer in model.layers]


def test_happy_model_architecture(tf):
    model = models.happy_model()
    assert _summary(model) == [
        ("ZeroPadding2D", (70, 70, 3), 0),
        ("Conv2D", (64, 64, 32), 7 * 7 * 3 * 32 + 32),
        ("BatchNormalization", (64, 64, 32), 4 * 32),
        ("ReLU", (64, 64, 32), 0),
        ("MaxPooling2D", (32, 32, 32), 0),
        ("Flatten", (32768,), 0),
        ("Dense", (1,), 32768 + 1),
    ]
    assert model.layers[1].kernel_size == (7, 7) and model.layers[2].axis in (3, -1)


def test_convolutional_model_architecture(tf):
    model = models.convolutional_model((64, 64, 3))
    assert _summary(model) == [
        ("InputLayer", (64, 64, 3), 0),
        ("Conv2D", (64, 64, 8), 4 * 4 * 3 * 8 + 8),
        ("ReLU", (64, 64, 8), 0),
        ("MaxPooling2D", (8, 8, 8), 0),
        ("Conv2D", (8, 8, 16), 2 * 2 * 8 * 16 + 16),
        ("ReLU", (8, 8, 16), 0),
        ("MaxPooling2D", (2, 2, 16), 0),
        ("Flatten", (64,), 0),
        ("Dense", (6,), 64 * 6 + 6),
    ]
    assert model.count_params() == 1310
    convolutions = [layer for layer in model.layers if type(layer).__name__ == "Conv2D"]
    assert [type(layer.kernel_initializer).__name__ for layer in convolutions] == ["HeUniform", "HeUniform"]
    assert models.fully_connected_model((64, 64, 3)).count_params() == 393_446


def test_a_training_step_runs(tf):
    model = models.convolutional_model((64, 64, 3))
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    history = model.fit(np.zeros((4, 64, 64, 3)), np.eye(6)[[0, 1, 2, 3]], epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_bad_input_shape():
    with pytest.raises(ValueError, match="input_shape must be a tuple"):
        models.convolutional_model((64, 64))
    with pytest.raises(TypeError, match=r"input_shape\[0\] must be an integer"):
        models.convolutional_model((64.0, 64, 3))


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "P"])
def test_preprocess_image_files_of_any_mode_and_size(tmp_path, mode):
    image = Image.new(mode, (120, 80), 200 if mode in ("L", "P") else (200, 100, 50, 128)[:len(mode)])
    image.save(tmp_path / "photo.png")
    batch = models.preprocess_image(tmp_path / "photo.png")
    assert batch.shape == (1, 64, 64, 3) and batch.dtype == np.float32
    assert 0 <= batch.min() <= batch.max() <= 1


def test_preprocess_image_arrays():
    grey = models.preprocess_image(np.full((10, 30), 255, dtype=np.uint8), size=(8, 8))
    np.testing.assert_allclose(grey, 1.0)
    rgba = np.zeros((16, 16, 4))  # fully transparent: the white background shows
    np.testing.assert_allclose(models.preprocess_image(rgba, size=(4, 4)), 1.0)


def test_preprocess_image_bad_inputs(tmp_path):
    (tmp_path / "notes.txt").write_text("not a picture")
    with pytest.raises(ValueError, match="could not be read as an image"):
        models.preprocess_image(tmp_path / "notes.txt")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        models.preprocess_image(tmp_path / "missing.png")
    with pytest.raises(TypeError, match="source must be"):
        models.preprocess_image(42)
    with pytest.raises(ValueError, match=r"\(n_H, n_W, 3\)"):
        models.preprocess_image(np.zeros((4, 4, 2)))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        models.preprocess_image(np.full((4, 4, 3), 2.0))
    with pytest.raises(ValueError, match="size must be"):
        models.preprocess_image(np.zeros((4, 4)), size=64)


def test_predict_image_and_confusion_matrix(tf):
    model = models.happy_model()
    label, probabilities = models.predict_image(model, np.zeros((64, 64, 3), dtype=np.uint8), classes=["no", "yes"])
    assert label in ("no", "yes") and probabilities.shape == (2,)
    np.testing.assert_allclose(probabilities.sum(), 1, rtol=1e-6)
    with pytest.raises(TypeError, match="model must be a Keras model"):
        models.predict_image("model", np.zeros((4, 4)))
    matrix = models.confusion_matrix([0, 1, 1], [[0, 0, 1]], 2)
    np.testing.assert_array_equal(matrix, [[1, 0], [1, 1]])
    with pytest.raises(ValueError, match="y_pred must hold class indices"):
        models.confusion_matrix([0], [5], 2)


def test_happy_model_functional_matches_the_sequential_one(tf):
    sequential, functional = models.happy_model(), models.happy_model_functional()
    assert _summary(functional)[1:] == _summary(sequential)  # the Functional model also lists its InputLayer
    assert functional.count_params() == sequential.count_params() == 37_633
    functional.set_weights(sequential.get_weights())
    x = np.random.default_rng(0).uniform(size=(2, 64, 64, 3)).astype("float32")
    np.testing.assert_allclose(functional.predict(x, verbose=0), sequential.predict(x, verbose=0), rtol=1e-5)


def test_accuracy_calls_the_model_in_inference_mode(tf):
    import keras

    model = models.fully_connected_model((4, 4, 3), n_classes=3)
    X = np.random.default_rng(0).uniform(size=(10, 4, 4, 3)).astype("float32")
    predicted = model.predict(X, verbose=0).argmax(axis=1)
    assert models.accuracy(model, X, predicted, batch_size=3) == 1.0
    assert models.accuracy(model, X, [(predicted + 1) % 3]) == 0.0
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    labels = np.arange(10) % 3
    assert np.isclose(models.accuracy(model, X, labels), model.evaluate(X, labels, verbose=0)[1])
    smile = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    flat = np.array([[1.0, 0.0], [0.0, 1.0]], dtype="float32")
    said = (smile.predict(flat, verbose=0)[:, 0] > 0.5).astype(int)
    assert models.accuracy(smile, flat, said) == 1.0
    with pytest.raises(ValueError, match="labels must hold one class per example"):
        models.accuracy(model, X, [0, 1])
    with pytest.raises(TypeError, match="model must be a Keras model"):
        models.accuracy("model", X, labels)

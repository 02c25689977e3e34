"""Section 2.7: the source and target pictures, the transfer models, and the checkers' answers to the usual mistakes."""

import numpy as np
import pytest

from course_utils import checks
from course_utils.synthetic import animals, objects


@pytest.fixture(autouse=True)
def fresh_submissions():
    checks.reset()
    yield
    checks.reset()


# --- the pictures --------------------------------------------------------------------------------

def test_source_pictures_are_seeded_balanced_and_varied():
    X, y = objects.make_dataset(2 * len(objects.CLASS_NAMES), seed=5)
    assert X.shape == (86, 96, 96, 3) and X.dtype == np.uint8 and y.dtype == np.int64
    assert np.array_equal(np.bincount(y), np.full(43, 2))
    again, _ = objects.make_dataset(3, seed=5)
    np.testing.assert_array_equal(again, X[:3])  # picture i depends on (seed, i) only
    assert not np.array_equal(objects.make_dataset(3, seed=6)[0], X[:3])
    # two pictures of one class differ (position, colour, background...)
    assert np.abs(X[0].astype(int) - X[43].astype(int)).mean() > 10
    assert len(objects.CLASS_NAMES) == len(set(objects.CLASS_NAMES)) == 43
    assert not {"alpaca", "sheep", "horse", "dog", "cow", "goat"} & set(objects.CLASS_NAMES)


def test_source_pictures_reject_bad_arguments():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="label must be below 43"):
        objects.draw(43, rng)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator; got int"):
        objects.draw(0, 0)
    with pytest.raises(ValueError, match="n must be an integer >= 1; got 0"):
        objects.make_dataset(0)


def test_alpaca_pictures_alternate_labels_and_cover_every_species():
    X, y = animals.make_dataset(6, seed=3)
    assert X.shape == (6, 96, 96, 3) and list(y) == [0, 1, 0, 1, 0, 1]
    np.testing.assert_array_equal(animals.make_dataset(2, seed=3)[0], X[:2])
    rng = np.random.default_rng(0)
    for species in animals.SPECIES:
        assert animals.draw(1, rng, species=species).shape == (96, 96, 3)
    assert sum(animals.SPECIES.values()) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="label must be 0 \\(alpaca\\) or 1 \\(not alpaca\\); got 2"):
        animals.draw(2, rng)
    with pytest.raises(ValueError, match="species must be None, or with label 1 one of"):
        animals.draw(0, rng, species="horse")


def test_image_folder_reads_back_with_keras_in_the_course_layout(tmp_path, tf):
    import keras

    folder = animals.write_image_folder(tmp_path / "alpacas", 10, seed=4)
    assert sorted(p.name for p in folder.iterdir()) == ["alpaca", "not alpaca"]
    data = keras.utils.image_dataset_from_directory(folder, image_size=(96, 96), shuffle=False, verbose=False)
    assert data.class_names == list(animals.CLASS_NAMES)
    images, labels = next(iter(data))
    X, y = animals.make_dataset(10, seed=4)
    order = np.argsort(y, kind="stable")  # the folder lists alpacas first, in file-name order
    np.testing.assert_array_equal(labels.numpy(), y[order])
    np.testing.assert_array_equal(images.numpy().astype(np.uint8), X[order])


# --- the models ------------------------------------------------------------------------------------

def test_alpaca_model_trains_only_its_head_and_fine_tune_unfreezes_the_top(tf):
    import keras

    from course_utils import transfer

    model = transfer.alpaca_model()
    assert [type(layer).__name__ for layer in model.layers] == [
        "InputLayer", "Sequential", "Functional", "GlobalAveragePooling2D", "Dropout", "Dense"]
    assert sum(int(np.prod(w.shape)) for w in model.trainable_weights) == 1281
    assert transfer.count_trainable_layers(model) == 0
    transfer.fine_tune(model, 120, 0.001)
    base = model.get_layer(transfer.BASE_NAME)
    batch_norm = [isinstance(layer, keras.layers.BatchNormalization) for layer in base.layers]
    assert [layer.trainable for layer in base.layers] == [i >= 120 and not bn for i, bn in enumerate(batch_norm)]
    assert float(np.asarray(model.optimizer.learning_rate)) == pytest.approx(1e-4)
    assert transfer.count_trainable_layers(model) == 12  # 8 convolutions, 4 depthwise, from block_13_depthwise on
    with pytest.raises(ValueError, match="fine_tune_at must be at most 154"):
        transfer.fine_tune(model, 200, 0.001)
    with pytest.raises(ValueError, match="base_learning_rate must be a number > 0; got 0"):
        transfer.fine_tune(model, 100, 0)
    with pytest.raises(ValueError, match="image_shape must be a tuple \\(n_H, n_W\\)"):
        transfer.alpaca_model(96)


def _train_one_step(model):
    X = np.random.default_rng(0).uniform(0, 255, (8, 64, 64, 3)).astype(np.float32)
    model.fit(X, np.arange(8) % 2, epochs=1, batch_size=8, verbose=0)


def test_training_false_does_not_survive_fit_in_keras_3_so_fine_tune_freezes_batch_norm(tf):
    import keras

    from course_utils import transfer

    def fine_tuned(freeze_batch_norm):
        keras.utils.set_random_seed(0)
        model = transfer.alpaca_model((64, 64), transfer.no_augmentation())  # base called with training=False
        return transfer.fine_tune(model, 140, 0.01, freeze_batch_norm=freeze_batch_norm)

    # The course's recipe: the unfrozen BatchNormalization layers update their statistics all the same.
    model = fine_tuned(False)
    bn = model.get_layer(transfer.BASE_NAME).get_layer("Conv_1_bn")
    before = np.array(bn.moving_mean)
    _train_one_step(model)
    assert not np.array_equal(np.array(bn.moving_mean), before)
    # fine_tune keeps them frozen: statistics and scale unchanged, while the convolutions train.
    model = fine_tuned(True)
    base = model.get_layer(transfer.BASE_NAME)
    bn, conv = base.get_layer("Conv_1_bn"), base.get_layer("Conv_1")
    before = [np.array(v) for v in (bn.moving_mean, bn.gamma, conv.kernel)]
    _train_one_step(model)
    np.testing.assert_array_equal(np.array(bn.moving_mean), before[0])
    np.testing.assert_array_equal(np.array(bn.gamma), before[1])
    assert not np.array_equal(np.array(conv.kernel), before[2])


def test_scratch_model_has_a_random_base_with_fast_batch_norm(tf):
    import keras

    from course_utils import transfer

    model = transfer.scratch_model((64, 64), transfer.no_augmentation())
    base = model.get_layer(transfer.BASE_NAME)
    assert base.trainable and all(layer.momentum == 0.9 for layer in base.layers
                                  if isinstance(layer, keras.layers.BatchNormalization))
    shipped = transfer.load_mobilenet_base((64, 64, 3))
    assert not np.allclose(base.get_layer("Conv1").kernel, shipped.get_layer("Conv1").kernel)
    with pytest.raises(ValueError, match="momentum must be a number in \\[0, 1\\); got 1"):
        transfer.set_batch_norm_momentum(model, 1)


# --- the checkers' answers to the usual mistakes ------------------------------------------------------

def test_data_augmenter_checker_names_the_wrong_setting(tf, capsys):
    import keras
    from keras import layers

    def flips_both_ways():
        return keras.Sequential([layers.RandomFlip(), layers.RandomRotation(0.2)])

    def rotation_only():
        return keras.Sequential([layers.RandomRotation(0.2)])

    assert checks.check_data_augmenter(flips_both_ways) is False
    out = capsys.readouterr().out
    assert "layer 1 (RandomFlip): mode is 'horizontal_and_vertical'; expected 'horizontal'" in out
    assert "hint: keras.Sequential with RandomFlip('horizontal')" in out
    assert checks.check_data_augmenter(rotation_only) is False
    assert "layer 1 is RandomRotation; expected RandomFlip" in capsys.readouterr().out


def _alpaca_variant(preprocess=True, training=False, freeze=True, use_base=True):
    import keras
    from keras import layers

    from course_utils import transfer

    def alpaca_model(image_shape=(96, 96), data_augmentation=None, base=None):
        data_augmentation = data_augmentation or transfer.data_augmenter()
        input_shape = tuple(image_shape) + (3,)
        base_model = base if (base is not None and use_base) else transfer.load_mobilenet_base(input_shape)
        base_model.trainable = not freeze
        inputs = keras.Input(input_shape)
        x = data_augmentation(inputs)
        if preprocess:
            x = keras.applications.mobilenet_v2.preprocess_input(x)
        x = base_model(x, training=False) if not training else base_model(x)
        x = layers.Dropout(0.2)(layers.GlobalAveragePooling2D()(x))
        return keras.Model(inputs, layers.Dense(1)(x))

    return alpaca_model


@pytest.mark.parametrize("variant, message", [
    (dict(preprocess=False), "the pooled features differ from the reference's on the same pictures"),
    (dict(training=True), "the base is called with training=None; expected training=False, as the course does"),
    (dict(freeze=False), "the model has 397,409 trainable parameters; expected 1,281"),
])
def test_alpaca_model_checker_explains_each_mistake(tf, capsys, variant, message):
    assert checks.check_alpaca_model(_alpaca_variant(**variant), verbose=False) is False
    assert message in capsys.readouterr().out


def test_alpaca_model_checker_notices_a_given_base_left_unused(tf, capsys):
    assert checks.check_alpaca_model(_alpaca_variant(use_base=False), verbose=False) is False
    out = capsys.readouterr().out
    assert "FAIL case 2" in out and "hint: when base is given, build on it" in out
    assert "alpaca_model: 2 of 3 cases passed." in out


def test_fine_tune_checker_explains_each_mistake(tf, capsys):
    import keras

    from course_utils.transfer import BASE_NAME

    def unfreeze(model, fine_tune_at, batch_norm_too=False):
        base = model.get_layer(BASE_NAME)
        base.trainable = True
        for index, layer in enumerate(base.layers):
            if index < fine_tune_at or (isinstance(layer, keras.layers.BatchNormalization) and not batch_norm_too):
                layer.trainable = False

    def compile_(model, rate, loss=None):
        model.compile(optimizer=keras.optimizers.Adam(rate), metrics=["accuracy"],
                      loss=loss or keras.losses.BinaryCrossentropy(from_logits=True))

    def course_recipe(model, fine_tune_at, base_learning_rate):
        unfreeze(model, fine_tune_at, batch_norm_too=True)
        compile_(model, 0.1 * base_learning_rate)
        return model

    def same_rate(model, fine_tune_at, base_learning_rate):
        unfreeze(model, fine_tune_at)
        compile_(model, base_learning_rate)
        return model

    def base_left_frozen(model, fine_tune_at, base_learning_rate):
        for layer in model.get_layer(BASE_NAME).layers[fine_tune_at:]:
            layer.trainable = True
        compile_(model, 0.1 * base_learning_rate)
        return model

    def returns_nothing(model, fine_tune_at, base_learning_rate):
        unfreeze(model, fine_tune_at)
        compile_(model, 0.1 * base_learning_rate, loss="binary_crossentropy")

    def probabilities_loss(model, fine_tune_at, base_learning_rate):
        returns_nothing(model, fine_tune_at, base_learning_rate)
        return model

    assert checks.check_fine_tune(course_recipe, verbose=False) is False
    out = capsys.readouterr().out
    assert "12 BatchNormalization layers of the base are trainable (from layer 121 on)" in out
    assert "hint: unfreeze the base" in out
    assert checks.check_fine_tune(same_rate, verbose=False) is False
    assert "the learning rate is 0.001; expected 0.0001" in capsys.readouterr().out
    assert checks.check_fine_tune(base_left_frozen, verbose=False) is False
    assert "the base itself is still frozen" in capsys.readouterr().out
    assert checks.check_fine_tune(returns_nothing, verbose=False) is False
    assert "fine_tune should return the model (recompiled); got None" in capsys.readouterr().out
    assert checks.check_fine_tune(probabilities_loss, verbose=False) is False
    assert "the loss is 'binary_crossentropy'; expected BinaryCrossentropy(from_logits=True)" in capsys.readouterr().out


def test_the_experiment_rejects_unknown_configurations(tf):
    from course_utils import transfer

    assert len(transfer.CONFIGURATIONS) == 7 and "fine-tuned + augmentation" in transfer.CONFIGURATIONS
    with pytest.raises(ValueError, match="configuration must be one of"):
        transfer.train_configuration("frozen + dropout", None, None, None)
    with pytest.raises(FileNotFoundError, match="write_image_folder writes one"):
        transfer.alpaca_datasets("/no/such/folder")

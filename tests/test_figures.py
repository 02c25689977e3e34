"""The drawing helpers draw what they say and reject bad input clearly."""

import numpy as np
import pytest

from course_utils.figures import show_array, show_images, show_windows


def test_show_images_lays_out_a_grid():
    fig = show_images([np.zeros((4, 4)), np.ones((4, 4, 3)), np.zeros((4, 4))], ["a", "b", "c"], ncols=2)
    drawn = [ax for ax in fig.axes if ax.images]
    assert len(fig.axes) == 4 and len(drawn) == 3
    assert [ax.get_title() for ax in drawn] == ["a", "b", "c"]


def test_show_windows_outlines_the_first_positions():
    fig = show_windows(7, 3, stride=2, pad=1, windows=3)
    ax = fig.axes[0]
    outlines = [p for p in ax.patches if not p.get_fill()]
    assert len(outlines) == 3
    assert "output 4 x 4" in ax.get_title()  # floor((7 + 2 - 3) / 2) + 1


def test_show_array_writes_every_value():
    fig = show_array(np.arange(6.0).reshape(2, 3), fmt="{:.0f}")
    assert [t.get_text() for t in fig.axes[0].texts] == ["0", "1", "2", "3", "4", "5"]


def test_bad_input():
    with pytest.raises(ValueError, match="images must hold at least one image"):
        show_images([])
    with pytest.raises(ValueError, match=r"images\[0\] must have shape \(n_H, n_W\) or \(n_H, n_W, 3\)"):
        show_images([np.zeros((2, 2, 2, 2))])
    with pytest.raises(ValueError, match="titles must hold one title per image"):
        show_images([np.zeros((2, 2))], ["a", "b"])
    with pytest.raises(ValueError, match="larger than the padded input"):
        show_windows(3, 5)
    with pytest.raises(ValueError, match="array must be at most 12 x 12"):
        show_array(np.zeros((20, 3)))
    with pytest.raises(ValueError, match="array must be a 2-D array"):
        show_array(np.zeros(3))


def test_plot_history_draws_train_and_validation():
    from course_utils.figures import plot_history

    fig = plot_history({"loss": [1.0, 0.5], "val_loss": [1.1, 0.7], "accuracy": [0.5, 0.8]})
    assert [len(ax.lines) for ax in fig.axes] == [2, 1]
    with pytest.raises(ValueError, match=r"history has no \['accuracy'\]"):
        plot_history({"loss": [1.0]})
    with pytest.raises(TypeError, match="history must be a keras History or a dict"):
        plot_history([1.0])


def test_show_confusion_labels_the_axes():
    from course_utils.figures import show_confusion

    fig = show_confusion(np.array([[3, 1], [0, 4]]), ["no", "yes"])
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == ["3", "1", "0", "4"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["no", "yes"]
    with pytest.raises(ValueError, match="matrix must be square"):
        show_confusion(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="labels must hold one name per class"):
        show_confusion(np.zeros((2, 2)), ["a"])


def test_show_model_draws_one_box_per_layer(tf):
    import keras

    from course_utils.figures import show_model

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="hidden"), keras.layers.Dense(1)])
    fig = show_model(model)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert len(fig.axes[0].patches) == 2
    assert "hidden: Dense" in texts and "(None, 3)   15 params" in texts
    assert "19 parameters" in fig.axes[0].get_title()
    with pytest.raises(TypeError, match="model must be a Keras model"):
        show_model("model")

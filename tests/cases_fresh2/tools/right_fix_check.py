"""Apply a hand-written right fix to each case in plain Python (no kerashape), re-run the cell,
then run AFTER: proves every AFTER check can pass. Where Keras leaves the model in the failed call's
state (a lazy Sequential configured with the wrong shape, a stale train function), the fix also
rebuilds or re-traces the model: a right fix has to do that too.

Usage: python tests/cases_fresh2/tools/right_fix_check.py tests/cases_fresh2/*.py
"""

import os
import sys
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
warnings.filterwarnings("ignore")

FRESH = "keras.Sequential([type(x).from_config(x.get_config()) for x in {m}.layers])"
FIX = {
    "rgba_into_trained_rgb_predict": "img = img[..., :3]",
    "conv_autoencoder_size_not_multiple_of_stride": """
imgs = np.pad(imgs, ((0, 0), (1, 1), (1, 1), (0, 0)))
autoencoder = keras.models.clone_model(autoencoder, input_tensors=keras.Input((32, 44, 3)))
autoencoder.compile(optimizer="adam", loss="binary_crossentropy")""",
    "segmentation_int_masks_categorical_loss": """
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")""",
    "multi_hot_labels_sparse_loss": """
model.compile(loss="binary_crossentropy", optimizer="rmsprop", metrics=["accuracy"])""",
    "dummies_test_fewer_columns_predict": "X_test = X_test.reindex(columns=X_train.columns, fill_value=0)",
    "conv1d_steps_features_swapped_length1": """
X_train = X_train.transpose(0, 2, 1)
model = %s
model.compile(loss="categorical_crossentropy", optimizer="adam")"""
    % FRESH.format(m="model"),
    "cnn_into_lstm_without_reshape": """
fl = [type(x).from_config(x.get_config()) for x in cnn_model.layers]
cnn_model = keras.Sequential(fl[:4] + [layers.Reshape((6, 48))] + fl[4:])
cnn_model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")""",
    "concat_embedding_with_scalar_branch": None,  # a source edit of the cell, below
    "dataset_dict_of_columns_into_sequential": """
train_ds = train_ds.map(lambda f, y: (tf.stack([f[c] for c in df.columns], -1), y))
model.make_train_function(force=True)""",
    "text_predict_padded_longer_than_trained": "X_new = pad_sequences(X_new, maxlen=18)",
    "single_gray_image_predict_two_axes_missing": "img = img.reshape(1, 28, 28, 1)",
    "labels_one_indexed_to_categorical": """
Y_train = keras.utils.to_categorical(y_train - 1, 10)
model.make_train_function(force=True)""",
    "targets_transposed_multi_output_regression": "y_cols = y_cols.T",
    "python_lists_of_images_and_targets": "data_list = np.stack(data_list)\ny = np.stack(y)",
    "predict_one_dataframe_row_series": "row = row.to_numpy().reshape(1, -1)",
    "string_class_labels": "y = np.unique(y, return_inverse=True)[1]",
    "dataset_gray_images_no_channel": """
train_ds = train_ds.map(lambda x, y: (x[..., None], y))
model = %s
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")"""
    % FRESH.format(m="model"),
    "dataset_varlen_tokens_and_tags": "train_ds = ds.padded_batch(4)",
    "mlp_declared_with_extra_axis": """
nn_model = keras.Sequential([keras.Input((3,))] + nn_model.layers)
nn_model.compile(optimizer="adam", loss="mse")""",
    "singleton_axis_into_dense_classifier": """
X_train = X_train[:, 0, :]
model = %s
model.compile(optimizer="adam", loss="categorical_crossentropy")"""
    % FRESH.format(m="model"),
    "siamese_pairs_stacked_in_one_array": """
pairs = [pairs[:, 0], pairs[:, 1]]
siamese_net.make_train_function(force=True)""",
    "two_images_stacked_on_batch_axis": "imageConcat = [imageConcat[0:1], imageConcat[1:2]]",
}


def main(paths):
    for p in sorted(paths):
        name = os.path.basename(p)[:-3]
        case = {}
        exec(open(p).read(), case)
        g = {}
        try:
            exec(case["SETUP"], g)
            cell = case["CELL"]
            if FIX[name] is None:
                before, after = "d1 = layers.Dense(10)(e_x)", "d1 = layers.Flatten()(layers.Dense(10)(e_x))"
                cell = cell.replace(before, after)
            else:
                try:
                    exec(cell, g)
                except Exception:
                    pass
                exec(FIX[name], g)
            if case.get("RERUN", True):
                exec(cell, g)
            if case.get("AFTER"):
                exec(case["AFTER"], g)
            print("%-50s right fix passes AFTER" % name)
        except Exception as e:
            print("%-50s FAILS: %s: %s" % (name, type(e).__name__, " ".join(str(e).split())[:300]))
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])

"""Independent numpy reference of doc/method.md §5.2-5.3, used once to produce the numbers hard-coded in
FrocReferenceTest (python3 + numpy 2.4; no pandas). Run: python3 src/test/python/froc_reference.py
It writes the synthetic records CSV (also hard-coded in the test) and prints the expected values."""
import csv, io, math
import numpy as np


def make_records():
    rs = np.random.RandomState(7)
    lines = ["image,kind,object,diameter,hit_dice,hit_logit,self_logit,hit_object"]
    for i in range(15):
        img = "img%02d" % i
        if i in (7, 11):
            continue  # images without records
        n_gt, n_pr = rs.randint(0, 5), rs.randint(0, 6)
        if i == 3:
            n_gt, n_pr = 2, 0  # empty prediction
        if i == 5:
            n_gt = 0  # empty ground truth
        for g in range(1, n_gt + 1):
            d = round(rs.uniform(1, 20), 2)
            if rs.rand() < 0.3 or n_pr == 0:
                lines.append(f"{img},lesion,{g},{d},0,-Infinity,Infinity,0")
            else:
                hl = round(rs.uniform(-2, 14), 2)
                if g == 1 and i == 2:
                    hl = 10.0  # exactly on a (duplicated) threshold
                lines.append(f"{img},lesion,{g},{d},{round(rs.uniform(0.05, 1), 3)},{hl},Infinity,{rs.randint(1, n_pr + 1)}")
        for p in range(1, n_pr + 1):
            d = round(rs.uniform(1, 20), 2)
            sl = round(rs.uniform(-1, 13), 2)
            if p == 1 and i == 4:
                sl = 10.0
            if p == 2 and i == 4:
                sl = -0.1
            if rs.rand() < 0.5 or n_gt == 0:
                lines.append(f"{img},prediction,{p},{d},0,-Infinity,{sl},0")
            else:
                lines.append(f"{img},prediction,{p},{d},{round(rs.uniform(0.05, 1), 3)},Infinity,{sl},{rs.randint(1, n_gt + 1)}")
    return "\n".join(lines) + "\n"


def parse(text):
    rows = []
    for r in csv.DictReader(io.StringIO(text)):
        rows.append(dict(id=r["image"], is_tum=r["kind"] == "lesion", obj=int(r["object"]), diameter=float(r["diameter"]),
                         hit_dice=float(r["hit_dice"]), hit_logit=float(r["hit_logit"]), self_logit=float(r["self_logit"]),
                         hit_obj=int(r["hit_object"])))
    return rows


def get_prc(rows, ths):
    rec, fps, dm, ds = [], [], [], []
    for th in ths:
        kept = [r for r in rows if r["self_logit"] >= th]
        t = [r for r in kept if r["is_tum"]]
        p = [r for r in kept if not r["is_tum"]]
        fp = len([r for r in p if r["hit_dice"] <= 0 and r["self_logit"] > th])
        tp_rows = [r for r in t if r["hit_dice"] > 0 and r["hit_logit"] >= th]
        fn = len([r for r in t if r["hit_dice"] <= 0 or r["hit_logit"] < th])
        tp = len(tp_rows)
        rec.append(tp / (tp + fn) if tp + fn else 1)
        fps.append(fp)
        d = np.array([r["hit_dice"] for r in tp_rows], dtype=float)
        dm.append(np.mean(d) if len(d) else float("nan"))
        ds.append(np.std(d) if len(d) else float("nan"))
    return rec, fps, dm, ds


def thresholds(rows):
    m = np.max([r["self_logit"] for r in rows if np.isfinite(r["self_logit"])])
    return np.concatenate((np.linspace(-0.1, 10, num=101), np.linspace(10, m + 1, num=100)))


def luna(avgfp, recall, max_fp=5):
    p0, p1 = list(avgfp) + [0], list(recall) + [0]
    return np.mean(np.interp(np.linspace(0, max_fp, max_fp * 100 + 1), p0[::-1], p1[::-1]))


def small(rows, dmax):
    t = [r for r in rows if r["is_tum"] and r["diameter"] < dmax]
    out = t + [r for r in rows if not r["is_tum"] and r["diameter"] < dmax]
    for g in t:
        out += [r for r in rows if not r["is_tum"] and r["id"] == g["id"] and r["hit_obj"] == g["obj"]]
    return out


def summary(rows, paper, n_iter=50):
    ths = thresholds(rows)
    ids = np.unique([r["id"] for r in rows])
    n_ids = len(ids)
    rec, fps, dm, ds = get_prc(rows, ths)
    full = luna(np.array(fps) / n_ids, rec)
    n_samples = int(len(ids) * 0.8)
    rs = np.random.RandomState(42)
    vals = []
    for _ in range(n_iter):
        rs.shuffle(ids)
        sub = set(ids[:n_samples])
        r2, f2, _, _ = get_prc([r for r in rows if r["id"] in sub], ths)
        vals.append(luna(np.array(f2) / (n_ids if paper else n_samples), r2))
    return dict(avg_recall=full, object_dice=dm[0], object_dice_std=ds[0], n_images=n_ids,
                n_lesions=len([r for r in rows if r["is_tum"]]), mean=np.mean(vals), std=np.std(vals),
                sum_fp=int(np.sum(fps)), sum_recall=float(np.sum(rec)), n_th=len(ths))


if __name__ == "__main__":
    text = make_records()
    print(text)
    rows = parse(text)
    for paper in (True, False):
        print("paper" if paper else "subsample", {k: repr(float(v)) for k, v in summary(rows, paper).items()})
        print("small8", {k: repr(float(v)) for k, v in summary(small(rows, 8.0), paper).items()})

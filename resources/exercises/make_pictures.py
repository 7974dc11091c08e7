"""Draw the exercise library's pictures: simple line figures written as SVG files.

Run from the repository:  python resources/exercises/make_pictures.py
Each picture is a stick figure built from joint angles (a side view unless it says front),
with an optional dashed "moves to" position, props (floor, chair, wall, band...) and arrows.
The files use only <line>, <circle>, <polyline>, <polygon> and <rect>, so the PDF builder can
draw them as vector art. Nothing here is copied: every figure comes from the numbers below.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "pictures"
W, H = 240, 170
FLOOR = 14.0
INK = "#111111"
FAR = "#8a8a8a"
GHOST = "#555555"
PROP = "#333333"

TORSO, NECK, HEAD_R = 46.0, 5.0, 9.0
UPPER_ARM, FOREARM = 23.0, 21.0
THIGH, SHIN, FOOT = 30.0, 29.0, 9.0


def _dir(angle: float) -> tuple[float, float]:
    r = math.radians(angle)
    return math.cos(r), math.sin(r)


def _add(p, angle, length):
    dx, dy = _dir(angle)
    return (p[0] + dx * length, p[1] + dy * length)


@dataclass
class Pose:
    """Absolute segment directions in degrees (0 = right, 90 = up); hip is the root."""

    hip: tuple[float, float]
    torso: float = 90
    head: float | None = None  # defaults to the torso's direction
    arm_u: float = -90
    arm_f: float = -90
    farm_u: float | None = None  # the far arm; defaults to the near arm
    farm_f: float | None = None
    leg_t: float = -90
    leg_s: float = -90
    fleg_t: float | None = None  # the far leg; defaults to the near leg
    fleg_s: float | None = None
    foot: float = 0
    ffoot: float | None = None
    front: bool = False  # a front view: limbs spread left and right

    def joints(self) -> dict[str, tuple[float, float]]:
        j: dict[str, tuple[float, float]] = {}
        j["hip"] = self.hip
        j["shoulder"] = _add(self.hip, self.torso, TORSO)
        head_dir = self.torso if self.head is None else self.head
        neck_top = _add(j["shoulder"], head_dir, NECK)
        j["head"] = _add(neck_top, head_dir, HEAD_R)
        if self.front:
            sx, hx = 15.0, 8.0
            j["s_near"] = (j["shoulder"][0] - sx, j["shoulder"][1] - 2)
            j["s_far"] = (j["shoulder"][0] + sx, j["shoulder"][1] - 2)
            j["h_near"] = (self.hip[0] - hx, self.hip[1])
            j["h_far"] = (self.hip[0] + hx, self.hip[1])
        else:
            j["s_near"] = j["s_far"] = j["shoulder"]
            j["h_near"] = j["h_far"] = self.hip
        fu = self.arm_u if self.farm_u is None else self.farm_u
        ff = self.arm_f if self.farm_f is None else self.farm_f
        j["elbow"] = _add(j["s_near"], self.arm_u, UPPER_ARM)
        j["hand"] = _add(j["elbow"], self.arm_f, FOREARM)
        j["felbow"] = _add(j["s_far"], fu, UPPER_ARM)
        j["fhand"] = _add(j["felbow"], ff, FOREARM)
        ft = self.leg_t if self.fleg_t is None else self.fleg_t
        fs = self.leg_s if self.fleg_s is None else self.fleg_s
        j["knee"] = _add(j["h_near"], self.leg_t, THIGH)
        j["ankle"] = _add(j["knee"], self.leg_s, SHIN)
        j["toe"] = _add(j["ankle"], self.foot, FOOT)
        j["fknee"] = _add(j["h_far"], ft, THIGH)
        j["fankle"] = _add(j["fknee"], fs, SHIN)
        j["ftoe"] = _add(j["fankle"], self.foot if self.ffoot is None else self.ffoot, FOOT)
        return j


LIMBS = {
    "near_arm": [("s_near", "elbow"), ("elbow", "hand")],
    "far_arm": [("s_far", "felbow"), ("felbow", "fhand")],
    "near_leg": [("h_near", "knee"), ("knee", "ankle"), ("ankle", "toe")],
    "far_leg": [("h_far", "fknee"), ("fknee", "fankle"), ("fankle", "ftoe")],
    "trunk": [("hip", "shoulder")],
}


@dataclass
class Picture:
    pose: Pose
    moved: dict = field(default_factory=dict)  # angle overrides for the dashed end position
    props: list = field(default_factory=list)
    arrows: list = field(default_factory=list)  # (x1, y1, x2, y2, bend)


class Svg:
    def __init__(self) -> None:
        self.parts: list[str] = []

    @staticmethod
    def _y(y: float) -> float:
        return round(H - y, 1)

    def line(self, a, b, color=INK, width=5.0, dash: str | None = None) -> None:
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(
            f'<line x1="{a[0]:.1f}" y1="{self._y(a[1])}" x2="{b[0]:.1f}" y2="{self._y(b[1])}" '
            f'stroke="{color}" stroke-width="{width}" stroke-linecap="round"{extra}/>'
        )

    def circle(self, c, r, color=INK, width=3.0, fill="#ffffff", dash: str | None = None):
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(
            f'<circle cx="{c[0]:.1f}" cy="{self._y(c[1])}" r="{r:.1f}" fill="{fill}" '
            f'stroke="{color}" stroke-width="{width}"{extra}/>'
        )

    def polyline(self, points, color=INK, width=2.0, dash: str | None = None) -> None:
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        pts = " ".join(f"{x:.1f},{self._y(y)}" for x, y in points)
        self.parts.append(
            f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="{width}" '
            f'stroke-linecap="round" stroke-linejoin="round"{extra}/>'
        )

    def polygon(self, points, color=INK) -> None:
        pts = " ".join(f"{x:.1f},{self._y(y)}" for x, y in points)
        self.parts.append(f'<polygon points="{pts}" fill="{color}" stroke="none"/>')

    def rect(self, x, y, w, h, color=PROP, width=2.0, fill="none") -> None:
        self.parts.append(
            f'<rect x="{x:.1f}" y="{self._y(y + h)}" width="{w:.1f}" height="{h:.1f}" '
            f'fill="{fill}" stroke="{color}" stroke-width="{width}"/>'
        )

    def text(self) -> str:
        body = "\n  ".join(self.parts)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" '
            f'width="{W}" height="{H}">\n  {body}\n</svg>\n'
        )


def draw_figure(svg: Svg, pose: Pose, *, ghost: bool = False, only: set[str] | None = None):
    j = pose.joints()
    order = ["far_leg", "far_arm", "trunk", "near_leg", "near_arm"]
    for name in order:
        if only is not None and name not in only:
            continue
        far = name.startswith("far") and not pose.front
        color = GHOST if ghost else (FAR if far else INK)
        width = 6.0 if name == "trunk" else 5.0
        for a, b in LIMBS[name]:
            svg.line(j[a], j[b], color=color, width=width, dash="4 5" if ghost else None)
    if only is None or "head" in only:
        if ghost:
            svg.circle(j["head"], HEAD_R, color=GHOST, dash="3 3")
        else:
            svg.line(j["shoulder"], j["head"], width=5.0)
            svg.circle(j["head"], HEAD_R)
            if pose.front:
                svg.line(j["s_near"], j["s_far"], width=5.0)
                svg.line(j["h_near"], j["h_far"], width=5.0)


def arrow(svg: Svg, x1, y1, x2, y2, bend=0.0) -> None:
    """A thin curved arrow from (x1, y1) to (x2, y2); ``bend`` bows it sideways."""
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1
    cx, cy = mx - dy / length * bend, my + dx / length * bend
    pts = []
    for i in range(17):
        t = i / 16
        pts.append(
            (
                (1 - t) ** 2 * x1 + 2 * (1 - t) * t * cx + t * t * x2,
                (1 - t) ** 2 * y1 + 2 * (1 - t) * t * cy + t * t * y2,
            )
        )
    svg.polyline(pts, color=INK, width=1.8)
    (ax, ay), (bx, by) = pts[-2], pts[-1]
    ang = math.atan2(by - ay, bx - ax)
    left = (bx - 8 * math.cos(ang - 0.45), by - 8 * math.sin(ang - 0.45))
    right = (bx - 8 * math.cos(ang + 0.45), by - 8 * math.sin(ang + 0.45))
    svg.polygon([(bx, by), left, right])


def prop(svg: Svg, kind: str, *args) -> None:
    if kind == "floor":
        svg.line((8, FLOOR), (W - 8, FLOOR), color=PROP, width=2.0)
    elif kind == "mat":
        svg.rect(30, FLOOR, 190, 4, width=1.5)
    elif kind == "chair":  # chair(x of seat's back edge, facing right)
        x = args[0] if args else 86
        svg.line((x, 44), (x + 40, 44), color=PROP, width=3)
        svg.line((x, 44), (x, 100), color=PROP, width=3)
        svg.line((x + 2, 44), (x + 2, FLOOR), color=PROP, width=2.5)
        svg.line((x + 38, 44), (x + 38, FLOOR), color=PROP, width=2.5)
    elif kind == "chair_back":  # a chair back to hold, standing in front of the figure
        x = args[0]
        svg.line((x, FLOOR), (x, 98), color=PROP, width=3)
        svg.line((x, 50), (x + 34, 50), color=PROP, width=3)
        svg.line((x + 34, 50), (x + 34, FLOOR), color=PROP, width=2.5)
    elif kind == "wall":
        x = args[0]
        svg.line((x, FLOOR), (x, H - 6), color=PROP, width=3)
    elif kind == "counter":
        x = args[0]
        svg.rect(x, FLOOR, 60, 80, width=2)
    elif kind == "table":
        x, top = args
        svg.line((x, top), (x + 60, top), color=PROP, width=3)
        svg.line((x + 6, top), (x + 6, FLOOR), color=PROP, width=2.5)
        svg.line((x + 54, top), (x + 54, FLOOR), color=PROP, width=2.5)
    elif kind == "step":
        x = args[0]
        svg.rect(x, FLOOR, 46, 14, width=2)
    elif kind == "roll":
        svg.circle((args[0], args[1]), args[2], color=PROP, width=2)
    elif kind == "band":
        svg.polyline([args[0], args[1]], color=PROP, width=1.6, dash="2 2")
    elif kind == "stick":
        svg.line(args[0], args[1], color=PROP, width=3)
    elif kind == "stool":  # a seat seen from the front, centred on x
        x = args[0]
        svg.rect(x - 24, FLOOR + SHIN + 13, 48, 5, width=2)
        svg.line((x - 20, FLOOR + SHIN + 13), (x - 20, FLOOR), color=PROP, width=2.5)
        svg.line((x + 20, FLOOR + SHIN + 13), (x + 20, FLOOR), color=PROP, width=2.5)
    elif kind == "post":
        x, y = args
        svg.rect(x - 3, FLOOR, 6, y - FLOOR + 10, width=2)


def render(pic: Picture) -> str:
    svg = Svg()
    for p in pic.props:
        if p[0] not in ("band",):
            prop(svg, *p)
    if pic.moved:
        moved = replace(pic.pose, **pic.moved)
        changed = _changed_parts(pic.pose, moved)
        draw_figure(svg, moved, ghost=True, only=changed)
    draw_figure(svg, pic.pose)
    for p in pic.props:
        if p[0] == "band":
            prop(svg, *p)
    for a in pic.arrows:
        arrow(svg, *a)
    return svg.text()


def _changed_parts(a: Pose, b: Pose) -> set[str]:
    ja, jb = a.joints(), b.joints()

    def moved(*names):
        return any(math.dist(ja[n], jb[n]) > 0.5 for n in names)

    parts = set()
    if moved("elbow", "hand"):
        parts.add("near_arm")
    if moved("felbow", "fhand"):
        parts.add("far_arm")
    if moved("knee", "ankle", "toe"):
        parts.add("near_leg")
    if moved("fknee", "fankle", "ftoe"):
        parts.add("far_leg")
    if moved("shoulder"):
        parts.add("trunk")
    if moved("head"):
        parts.add("head")
    return parts


# -- postures ------------------------------------------------------------------------------
STAND_HIP = (120.0, FLOOR + THIGH + SHIN + 2)
SIT_HIP = (100.0, 48.0)
LIE_Y = FLOOR + 9


def standing(x: float = 120, **kw) -> Pose:
    return Pose(hip=(x, STAND_HIP[1]), **kw)


def sitting(**kw) -> Pose:
    base = dict(leg_t=0, leg_s=-90, arm_u=-80, arm_f=-10)
    base.update(kw)
    return Pose(hip=SIT_HIP, **base)


def supine(**kw) -> Pose:  # on the back, head to the left, toes up
    base = dict(torso=180, arm_u=0, arm_f=0, leg_t=0, leg_s=0, foot=90)
    base.update(kw)
    return Pose(hip=(140.0, LIE_Y), **base)


def hooklying(**kw) -> Pose:
    base = dict(torso=180, arm_u=0, arm_f=0, leg_t=48, leg_s=-52, foot=0)
    base.update(kw)
    return Pose(hip=(130.0, LIE_Y), **base)


def prone(**kw) -> Pose:  # on the belly, head to the left
    base = dict(torso=180, arm_u=0, arm_f=0, leg_t=0, leg_s=0, foot=-70)
    base.update(kw)
    return Pose(hip=(140.0, LIE_Y), **base)


def quadruped(**kw) -> Pose:  # hands and knees, facing left
    hip = (148.0, FLOOR + THIGH + 3)
    shoulder_y = FLOOR + UPPER_ARM + FOREARM + 2
    torso = math.degrees(
        math.atan2(shoulder_y - hip[1], -math.sqrt(TORSO**2 - (shoulder_y - hip[1]) ** 2))
    )
    base = dict(torso=torso, head=185, arm_u=-90, arm_f=-90, leg_t=-90, leg_s=0, foot=0)
    base.update(kw)
    return Pose(hip=hip, **base)


def sidelying(
    hip: tuple[float, float] = (140.0, LIE_Y + 2), **kw
) -> Pose:  # on one side, head to the left, seen from the front
    base = dict(
        torso=180, head=180, arm_u=120, arm_f=200, farm_u=-20, farm_f=-8, leg_t=0, leg_s=0, foot=0
    )
    base.update(kw)
    return Pose(hip=hip, **base)


def front(**kw) -> Pose:
    base = dict(
        front=True,
        arm_u=-95,
        arm_f=-92,
        farm_u=-85,
        farm_f=-88,
        leg_t=-93,
        leg_s=-90,
        fleg_t=-87,
        fleg_s=-90,
        foot=180,
        ffoot=0,
    )
    base.update(kw)
    return Pose(hip=(120.0, STAND_HIP[1]), **base)


def front_sitting(**kw) -> Pose:
    base = dict(
        front=True,
        arm_u=-100,
        arm_f=-80,
        farm_u=-80,
        farm_f=-100,
        leg_t=-125,
        leg_s=-92,
        fleg_t=-55,
        fleg_s=-88,
        foot=180,
        ffoot=0,
    )
    base.update(kw)
    return Pose(hip=(120.0, FLOOR + SHIN + THIGH * math.sin(math.radians(55)) + 2), **base)


STOOL = ("stool", 120)


FLOOR_ONLY = [("floor",)]


def pictures() -> dict[str, Picture]:
    p: dict[str, Picture] = {}
    chair = [("floor",), ("chair", 86)]
    # neck
    p["chin_tuck"] = Picture(
        sitting(torso=90, head=90), {"head": 100}, chair, [(138, 110, 120, 110, 0)]
    )
    p["neck_rotation"] = Picture(
        front_sitting(head=90),
        {"head": 60},
        [("floor",), STOOL],
        [(106, 162, 134, 162, -6), (134, 162, 106, 162, -6)],
    )
    p["neck_side_bend"] = Picture(
        front_sitting(head=90),
        {"head": 55},
        [("floor",), STOOL],
        [(128, 164, 146, 146, -6)],
    )
    p["upper_trap_stretch"] = Picture(
        front_sitting(head=60, farm_u=60, farm_f=150, arm_u=-100, arm_f=-80),
        {},
        [("floor",), STOOL],
        [(100, 150, 94, 132, 6)],
    )
    p["shoulder_rolls"] = Picture(
        front(), {}, FLOOR_ONLY, [(92, 128, 98, 144, -6), (142, 144, 148, 128, -6)]
    )
    # shoulder
    p["pendulum"] = Picture(
        standing(x=110, torso=30, head=20, arm_u=-90, arm_f=-90, farm_u=-20, farm_f=-60),
        {},
        [("floor",), ("table", 150, 78)],
        [(134, 58, 160, 58, -10), (160, 52, 134, 52, -10)],
    )
    p["wand_flexion"] = Picture(
        hooklying(arm_u=75, arm_f=80),
        {"arm_u": 165, "arm_f": 175},
        [("floor",), ("mat",), ("roll", 92, 67, 3)],
        [(112, 72, 56, 46, 18)],
    )
    p["wall_walk"] = Picture(
        standing(x=110, arm_u=20, arm_f=30, head=90),
        {"arm_u": 70, "arm_f": 75},
        [("floor",), ("wall", 160)],
        [(162, 118, 162, 148, 0)],
    )
    p["band_row"] = Picture(
        standing(x=100, arm_u=-60, arm_f=0),
        {"arm_u": -120, "arm_f": -10},
        [("floor",), ("post", 220, 96), ("band", (130, 96), (217, 96))],
        [(150, 114, 120, 114, 0)],
    )
    p["band_external_rotation"] = Picture(
        front(arm_u=-90, arm_f=0),
        {"arm_f": 200},
        [("floor",), ("post", 40, 96), ("band", (43, 96), (125, 98))],
        [(124, 84, 88, 84, 10)],
    )
    p["scapular_squeeze"] = Picture(
        sitting(arm_u=-100, arm_f=-20), {"torso": 96}, chair, [(132, 118, 114, 118, 0)]
    )
    p["doorway_stretch"] = Picture(
        standing(x=104, torso=80, arm_u=0, arm_f=90, leg_t=-70, leg_s=-90, fleg_t=-105),
        {},
        [("floor",), ("wall", 152)],
        [(110, 150, 138, 150, 0)],
    )
    p["cross_body_stretch"] = Picture(
        front(arm_u=-10, arm_f=5, farm_u=-150, farm_f=40), {}, FLOOR_ONLY, [(150, 118, 124, 118, 0)]
    )
    # back
    p["pelvic_tilt"] = Picture(hooklying(), {}, [("floor",), ("mat",)], [(136, 40, 136, 24, 0)])
    p["knee_to_chest"] = Picture(
        hooklying(leg_t=120, leg_s=-5, arm_u=40, arm_f=10, fleg_t=48, fleg_s=-52),
        {},
        [("floor",), ("mat",)],
        [(156, 84, 128, 80, 8)],
    )
    p["lower_trunk_rotation"] = Picture(
        hooklying(),
        {"leg_t": 22, "leg_s": -12, "fleg_t": 22, "fleg_s": -12},
        [("floor",), ("mat",)],
        [(160, 56, 176, 34, -8)],
    )
    p["cat_camel"] = Picture(
        quadruped(), {"torso": 150}, [("floor",), ("mat",)], [(120, 82, 120, 100, 0)]
    )
    p["prone_press_up"] = Picture(
        prone(torso=160, head=170, arm_u=-80, arm_f=-10),
        {},
        [("floor",), ("mat",)],
        [(80, 60, 80, 86, 0)],
    )
    p["childs_pose"] = Picture(
        quadruped(),
        {"torso": 172, "leg_t": -10, "leg_s": 0},
        [("floor",), ("mat",)],
        [(170, 58, 190, 42, 8)],
    )
    p["seated_trunk_flexion"] = Picture(
        sitting(),
        {"torso": 30, "head": 10, "arm_u": -60, "arm_f": -80},
        chair,
        [(118, 140, 150, 104, -14)],
    )
    # hip
    p["bridge"] = Picture(
        hooklying(),
        {"hip": (130, 40), "torso": 195, "leg_t": 10, "leg_s": -78},
        [("floor",), ("mat",)],
        [(130, 30, 130, 52, 0)],
    )
    p["clamshell"] = Picture(
        sidelying(hip=(140.0, 30.0), leg_t=-10, leg_s=200, fleg_t=-10, fleg_s=200),
        {"leg_t": 18, "leg_s": 228},
        [("floor",), ("mat",)],
        [(176, 34, 170, 58, -8)],
    )
    p["side_lying_abduction"] = Picture(
        sidelying(hip=(140.0, 30.0), fleg_t=-10, fleg_s=200),
        {"leg_t": 20, "leg_s": 20},
        [("floor",), ("mat",)],
        [(198, 34, 192, 60, -8)],
    )
    p["standing_hip_extension"] = Picture(
        standing(x=110, arm_u=-40, arm_f=-40),
        {"leg_t": -115, "leg_s": -115},
        [("floor",), ("chair_back", 150)],
        [(104, 20, 84, 26, -6)],
    )
    p["standing_hip_abduction"] = Picture(
        front(), {"leg_t": -125, "leg_s": -125, "foot": 150}, FLOOR_ONLY, [(108, 30, 86, 42, -6)]
    )
    p["hip_flexor_stretch"] = Picture(
        Pose(
            hip=(120, FLOOR + THIGH * math.sin(math.radians(65)) + 2),
            arm_u=-90,
            arm_f=-90,
            leg_t=-5,
            leg_s=-90,
            foot=0,
            fleg_t=-115,
            fleg_s=180,
            ffoot=180,
        ),
        {},
        [("floor",), ("mat",)],
        [(108, 66, 132, 66, 0)],
    )
    p["figure_four_stretch"] = Picture(
        hooklying(leg_t=100, leg_s=20, fleg_t=70, fleg_s=-20, arm_u=30, arm_f=30),
        {},
        [("floor",), ("mat",)],
        [(178, 70, 150, 80, 10)],
    )
    # knee
    p["quad_set"] = Picture(
        supine(), {}, [("floor",), ("mat",), ("roll", 165, LIE_Y - 3, 5)], [(165, 42, 165, 28, 0)]
    )
    p["straight_leg_raise"] = Picture(
        supine(fleg_t=48, fleg_s=-52, ffoot=0),
        {"leg_t": 30, "leg_s": 30, "foot": 120},
        [("floor",), ("mat",)],
        [(200, 24, 190, 60, -10)],
    )
    p["heel_slide"] = Picture(
        supine(),
        {"leg_t": 50, "leg_s": -50, "foot": 0},
        [("floor",), ("mat",)],
        [(196, 18, 170, 18, 0)],
    )
    p["short_arc_quad"] = Picture(
        supine(leg_t=15, leg_s=-15, foot=75),
        {"leg_s": 15, "foot": 105},
        [("floor",), ("mat",), ("roll", 168, LIE_Y + 4, 9)],
        [(196, 22, 196, 40, -6)],
    )
    p["long_arc_quad"] = Picture(
        sitting(), {"leg_s": -5, "foot": 85}, chair, [(138, 22, 162, 44, 10)]
    )
    p["mini_squat"] = Picture(
        Pose(
            hip=(104, STAND_HIP[1] - 10),
            torso=78,
            arm_u=-30,
            arm_f=-20,
            leg_t=-60,
            leg_s=-112,
        ),
        {},
        [("floor",), ("chair_back", 150)],
        [(80, 80, 80, 60, 0), (70, 60, 70, 80, 0)],
    )
    p["step_up"] = Picture(
        Pose(
            hip=(100, STAND_HIP[1] + 6),
            leg_t=-60,
            leg_s=-112,
            fleg_t=-95,
            fleg_s=-95,
            arm_u=-80,
            arm_f=-80,
        ),
        {},
        [("floor",), ("step", 100)],
        [(72, 70, 72, 100, 0)],
    )
    p["hamstring_stretch"] = Picture(
        sitting(leg_s=-40, foot=60, fleg_s=-90),
        {"torso": 60, "head": 50},
        chair,
        [(112, 150, 136, 136, -8)],
    )
    p["wall_sit"] = Picture(
        Pose(hip=(70, FLOOR + SHIN + 2), leg_t=0, leg_s=-90, arm_u=-90, arm_f=-90),
        {},
        [("floor",), ("wall", 60)],
        [(46, 110, 46, 80, 0)],
    )
    # ankle
    p["ankle_pumps"] = Picture(
        supine(), {"foot": 40}, [("floor",), ("mat",)], [(214, 40, 222, 24, -8)]
    )
    p["ankle_alphabet"] = Picture(
        sitting(leg_t=10, leg_s=-20, foot=50),
        {},
        chair,
        [(180, 48, 186, 30, -14), (186, 30, 176, 24, -8)],
    )
    p["calf_raise"] = Picture(
        standing(x=110, arm_u=-40, arm_f=-40, foot=-35),
        {},
        [("floor",), ("chair_back", 150)],
        [(92, 22, 92, 40, 0)],
    )
    p["calf_stretch"] = Picture(
        standing(
            x=140,
            torso=72,
            head=72,
            arm_u=15,
            arm_f=15,
            leg_t=-75,
            leg_s=-100,
            fleg_t=-125,
            fleg_s=-125,
        ),
        {},
        [("floor",), ("wall", 196)],
        [(104, 36, 96, 52, 4)],
    )
    p["band_dorsiflexion"] = Picture(
        Pose(hip=(80, LIE_Y), torso=100, arm_u=-110, arm_f=-90, leg_t=0, leg_s=0, foot=60),
        {"foot": 100},
        [("floor",), ("post", 212, 30), ("band", (146, 32), (209, 30))],
        [(156, 44, 146, 60, 6)],
    )
    p["seated_toe_raise"] = Picture(
        sitting(foot=20), {"foot": -20}, chair, [(150, 30, 150, 14, -6)]
    )
    # balance
    p["single_leg_stance"] = Picture(
        standing(x=110, arm_u=-60, arm_f=-30, fleg_t=-50, fleg_s=-120),
        {},
        [("floor",), ("counter", 150)],
        [],
    )
    p["tandem_stance"] = Picture(
        standing(x=110, leg_t=-85, leg_s=-92, fleg_t=-95, fleg_s=-88, arm_u=-60, arm_f=-30),
        {},
        [("floor",), ("counter", 150)],
        [],
    )
    p["sit_to_stand"] = Picture(
        sitting(torso=70, head=60, arm_u=-70, arm_f=-40),
        {"hip": (126, STAND_HIP[1] - 4), "torso": 90, "head": 90, "leg_t": -80, "leg_s": -100},
        chair,
        [(80, 90, 112, 130, 12)],
    )
    p["heel_toe_walk"] = Picture(
        standing(x=110, leg_t=-80, leg_s=-96, fleg_t=-100, fleg_s=-84),
        {},
        [("floor",)],
        [(150, 40, 200, 40, 0)],
    )
    p["weight_shift"] = Picture(
        front(leg_t=-100, fleg_t=-80),
        {},
        FLOOR_ONLY,
        [(130, 66, 100, 66, 0), (100, 60, 130, 60, 0)],
    )
    p["marching"] = Picture(
        standing(x=110, arm_u=-60, arm_f=-30, leg_t=-10, leg_s=-95),
        {},
        [("floor",), ("counter", 150)],
        [(126, 40, 126, 66, 0)],
    )
    # core
    p["abdominal_brace"] = Picture(hooklying(), {}, [("floor",), ("mat",)], [(110, 52, 110, 36, 0)])
    p["dead_bug"] = Picture(
        hooklying(arm_u=90, arm_f=90, leg_t=90, leg_s=0, foot=0),
        {"farm_u": 160, "farm_f": 170, "fleg_t": 20, "fleg_s": 5},
        [("floor",), ("mat",)],
        [(176, 60, 200, 36, -8)],
    )
    p["partial_curl_up"] = Picture(
        hooklying(arm_u=-30, arm_f=0),
        {"torso": 158, "head": 140, "arm_u": 0, "arm_f": 15},
        [("floor",), ("mat",)],
        [(70, 50, 84, 64, 6)],
    )
    p["bird_dog"] = Picture(
        quadruped(),
        {"arm_u": 175, "arm_f": 175, "leg_t": -10, "leg_s": -5, "foot": -80},
        [("floor",), ("mat",)],
        [(60, 80, 40, 84, -4), (196, 52, 220, 52, 4)],
    )
    p["plank_knees"] = Picture(
        Pose(
            hip=(130, FLOOR + 26),
            torso=167,
            head=172,
            arm_u=-90,
            arm_f=180,
            leg_t=-30,
            leg_s=0,
            foot=0,
        ),
        {},
        [("floor",), ("mat",)],
        [(130, 56, 130, 72, 0)],
    )
    p["side_plank_knees"] = Picture(
        Pose(
            hip=(140, FLOOR + 20),
            torso=174,
            head=176,
            arm_u=-90,
            arm_f=180,
            farm_u=-20,
            farm_f=-8,
            leg_t=-42,
            leg_s=180,
            foot=180,
        ),
        {},
        [("floor",), ("mat",)],
        [(140, 44, 140, 60, 0)],
    )
    return p


def main() -> None:
    library = tomllib.loads((HERE / "library.toml").read_text(encoding="utf-8"))["exercise"]
    keys = [e["key"] for e in library]
    pics = pictures()
    missing = [k for k in keys if k not in pics]
    if missing:
        raise SystemExit(f"no picture defined for: {', '.join(missing)}")
    OUT.mkdir(exist_ok=True)
    for key in keys:
        (OUT / f"{key}.svg").write_text(render(pics[key]), encoding="utf-8")
    print(f"{len(keys)} pictures written to {OUT}")


if __name__ == "__main__":
    main()

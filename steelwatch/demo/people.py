"""Demo grids with named grid officers, and one login per role with a deterministic, printed password."""

import random
from dataclasses import dataclass

from steelwatch.accounts.models import User
from steelwatch.accounts.roles import Department, Role
from steelwatch.accounts.services import user_create
from steelwatch.geo.models import Grid
from steelwatch.geo.services import grid_officer_save, grid_save

from .ledger import CN_NUMBERS, Township, person_name, phone_number


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    division_code: str
    department: str = ""
    grid_code: str = ""  # the grid officer's login takes over this demo grid


# The printed logins: one per role (two district offices, six departments, the water utility's included).
# Every other grid officer can log in too: username grid_<grid code with _>, password demo_password(). 湖塘镇 (320412100) is the
# township shown, its first grid the grid officer's.
LOGINS = [
    Login("changzhou", Role.CITY_OFFICE, "320400"),
    Login("wujin", Role.DISTRICT_OFFICE, "320412"),
    Login("xinbei", Role.DISTRICT_OFFICE, "320411"),
    Login("hutang", Role.TOWNSHIP, "320412100"),
    Login("hutang_grid1", Role.GRID_OFFICER, "320412100", grid_code="320412100-01"),
    Login("power", Role.DEPARTMENT_STAFF, "320400", department=Department.POWER_COMPANY),
    Login("market", Role.DEPARTMENT_STAFF, "320412", department=Department.MARKET_REGULATION),
    Login("police", Role.DEPARTMENT_STAFF, "320412", department=Department.POLICE),
    Login("industry", Role.DEPARTMENT_STAFF, "320400", department=Department.INDUSTRY_IT),
    Login("water", Role.DEPARTMENT_STAFF, "320412", department=Department.WATER_UTILITY),
    Login("tips", Role.TIP_HANDLER, "320412"),
    Login("viewer", Role.VIEWER, "320400"),
]


def demo_password(username: str, seed: int) -> str:
    return f"Demo-{username}-{seed}"


def grid_officer_username(code: str) -> str:
    return f"grid_{code.replace('-', '_')}"


def grid_officer_note(seed: int) -> str:
    """The line printed under the logins table: how every other grid officer logs in."""
    example = grid_officer_username(grid_code("320412100", 2))
    return (
        f"每个网格的网格员都可登录：用户名 grid_<网格编号，- 换成 _>（如 {example}），"
        f"密码 {demo_password('<用户名>', seed)}（如 {demo_password(example, seed)}）。"
    )


def grid_code(township_code: str, number: int) -> str:
    return f"{township_code}-{number:02d}"


def build_grids(
    rng: random.Random, towns: list[Township], counts: dict[str, int], seed: int
) -> dict[str, list[Grid]]:
    """2–4 grids per township (by its number of firms), each with a named officer; audited via geo services."""
    logins = {login.grid_code: login for login in LOGINS if login.grid_code}
    grids: dict[str, list[Grid]] = {}
    for town in towns:
        n = 2 if counts.get(town.code, 0) < 40 else rng.choice([3, 3, 4])
        grids[town.code] = []
        for number in range(1, n + 1):
            code = grid_code(town.code, number)
            grid = grid_save(
                actor=None,
                code=code,
                name=f"{town.name}第{CN_NUMBERS[number - 1]}网格",
                division_code=town.code,
                village_codes=[],
            )
            name, phone = person_name(rng), phone_number(rng)
            if code in logins:  # the printed grid officer: same service path, with a password
                login = logins[code]
                user_create(
                    username=login.username,
                    role=login.role,
                    division_code=town.code,
                    grid=grid,
                    display_name=name,
                    phone=phone,
                    password=demo_password(login.username, seed),
                )
            else:
                username = grid_officer_username(code)
                grid_officer_save(
                    actor=None,
                    grid=grid,
                    username=username,
                    display_name=name,
                    phone=phone,
                    password=demo_password(username, seed),
                )
            grids[town.code].append(grid)
    return grids


def build_logins(rng: random.Random, seed: int) -> list[dict]:
    """Create every printed login except the grid officer's (made with its grid); return the table rows."""
    rows = []
    for login in LOGINS:
        password = demo_password(login.username, seed)
        if not login.grid_code:
            user_create(
                username=login.username,
                role=login.role,
                division_code=login.division_code,
                department=login.department,
                password=password,
                display_name=person_name(rng),
            )
        rows.append(login_row(login, seed))
    return rows


def login_row(login: Login, seed: int) -> dict:
    user = User.objects.select_related("division").get(username=login.username)
    role = user.get_role_display() + (f"（{user.get_department_display()}）" if user.department else "")
    return {
        "username": login.username,
        "role": str(role),
        "jurisdiction": user.division.full_name,
        "password": demo_password(login.username, seed),
    }

"""Staff API shapes."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["agent", "trainer", "admin"]
Language = Literal["nl", "en"]


class LoginIn(BaseModel):
    """E-mail and password."""

    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=1000)


class StaffOut(BaseModel):
    """A staff member as others may see them."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    name: str
    role: Role
    languages: list[Language]


class TokenOut(BaseModel):
    """An access token and who it belongs to."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    staff: StaffOut


class StaffIn(BaseModel):
    """A new or updated staff member."""

    email: str = Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    name: str = Field(min_length=1, max_length=200)
    role: Role
    languages: list[Language] = Field(default_factory=list)
    password: str = Field(min_length=8, max_length=1000)


class PasswordIn(BaseModel):
    """The current password and the new one."""

    current: str = Field(min_length=1, max_length=1000)
    new: str = Field(min_length=8, max_length=1000)


class ActiveIn(BaseModel):
    """Whether the account may log in."""

    active: bool

import { permissionsOf } from '@msmebazaar/security';

import type { UserEntity } from './user.entity';

/** The user as the admin routes answer it. */
export interface AdminUserView {
  id: string;
  email: string;
  full_name: string;
  user_type: string;
  roles: string[];
  is_verified: boolean;
  is_active: boolean;
  locked_until: string | null;
  created_at: string;
  last_login: string | null;
}

/** The caller's own profile. */
export interface ProfileView {
  user_id: string;
  email: string;
  full_name: string;
  user_type: string;
  roles: string[];
  permissions: string[];
  phone: string | null;
  company_name: string | null;
  gst_number: string | null;
  is_verified: boolean;
}

export function toAdminUserView(user: UserEntity): AdminUserView {
  return {
    id: user.id,
    email: user.email,
    full_name: user.fullName,
    user_type: user.userType,
    roles: user.roles,
    is_verified: user.isVerified,
    is_active: user.isActive,
    locked_until: user.lockedUntil?.toISOString() ?? null,
    created_at: user.createdAt.toISOString(),
    last_login: user.lastLogin?.toISOString() ?? null,
  };
}

export function toProfileView(user: UserEntity): ProfileView {
  return {
    user_id: user.id,
    email: user.email,
    full_name: user.fullName,
    user_type: user.userType,
    roles: user.roles,
    permissions: permissionsOf(user.roles),
    phone: user.phone,
    company_name: user.companyName,
    gst_number: user.gstNumber,
    is_verified: user.isVerified,
  };
}

/** Trimmed and lower-cased, as emails are stored and compared. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

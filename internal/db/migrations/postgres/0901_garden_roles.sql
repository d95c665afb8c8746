-- The garden's three roles (garden operator 菜园运营, steward 管家, adopter
-- 园主) may hold logins: the role check gains them.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('resident', 'worker', 'clerk', 'merchant', 'district', 'admin',
    'garden_operator', 'garden_steward', 'garden_adopter'));

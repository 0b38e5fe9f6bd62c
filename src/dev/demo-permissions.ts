import type pg from 'pg';

// What Django's migrate and an admin would have left: a content type with its permissions, a group holding
// some of them, and alice in it with one more of her own. bob has none, so the two differ on /api/me.
const APP_LABEL = 'demo';
const MODEL = 'article';
const CODENAMES = ['add_article', 'change_article', 'delete_article', 'view_article', 'publish_article'];
const GROUP = 'Editors';
const GROUP_CODENAMES = ['add_article', 'change_article', 'view_article'];
const MEMBER = 'alice';
const MEMBER_CODENAMES = ['publish_article'];

// The ids of the demo's permissions named in $1; $2 is the app label.
const PERMISSIONS = `SELECT p.id FROM auth_permission p JOIN django_content_type ct ON ct.id = p.content_type_id
                      WHERE ct.app_label = $2 AND p.codename = ANY($1::text[])`;

/** Inserts the demo's permissions, group and memberships that are missing (into the demo database only). */
export async function addDemoPermissions(client: pg.ClientBase): Promise<void> {
  await client.query('INSERT INTO django_content_type (app_label, model) VALUES ($1, $2) ON CONFLICT DO NOTHING', [APP_LABEL, MODEL]);
  await client.query(
    `INSERT INTO auth_permission (name, content_type_id, codename)
     SELECT 'Can ' || replace(codename, '_', ' '), ct.id, codename FROM django_content_type ct, unnest($1::text[]) AS codename
      WHERE ct.app_label = $2 AND ct.model = $3
     ON CONFLICT DO NOTHING`,
    [CODENAMES, APP_LABEL, MODEL],
  );
  await client.query('INSERT INTO auth_group (name) VALUES ($1) ON CONFLICT DO NOTHING', [GROUP]);
  await client.query(
    `INSERT INTO auth_group_permissions (group_id, permission_id)
     SELECT g.id, p.id FROM auth_group g, (${PERMISSIONS}) p WHERE g.name = $3 ON CONFLICT DO NOTHING`,
    [GROUP_CODENAMES, APP_LABEL, GROUP],
  );
  await client.query(
    `INSERT INTO auth_user_groups (user_id, group_id)
     SELECT u.id, g.id FROM auth_user u, auth_group g WHERE u.username = $1 AND g.name = $2 ON CONFLICT DO NOTHING`,
    [MEMBER, GROUP],
  );
  await client.query(
    `INSERT INTO auth_user_user_permissions (user_id, permission_id)
     SELECT u.id, p.id FROM auth_user u, (${PERMISSIONS}) p WHERE u.username = $3 ON CONFLICT DO NOTHING`,
    [MEMBER_CODENAMES, APP_LABEL, MEMBER],
  );
}

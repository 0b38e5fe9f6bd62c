// argon2 and bcrypt have no primitive in node:crypto (on Node 20), so they come from optional peer
// dependencies, imported the first time such a hash is met: a site that never stored one installs nothing.
import { PasswordHasherError } from './hasher.ts';

type Argon2Module = typeof import('@node-rs/argon2');
type BcryptModule = typeof import('@node-rs/bcrypt');

let argon2: Promise<Argon2Module> | undefined;
let bcrypt: Promise<BcryptModule> | undefined;

function missing(name: string, hasher: string): (error: unknown) => never {
  return (error) => {
    throw new PasswordHasherError(`${hasher} needs the optional dependency ${name}: npm install ${name}`, { cause: error });
  };
}

/** @node-rs/argon2, loaded once; rejects with an install hint when it is absent. */
export function loadArgon2(): Promise<Argon2Module> {
  argon2 ??= import('@node-rs/argon2').catch((error: unknown) => {
    argon2 = undefined;
    return missing('@node-rs/argon2', 'Argon2PasswordHasher')(error);
  });
  return argon2;
}

/** @node-rs/bcrypt, loaded once; rejects with an install hint when it is absent. */
export function loadBcrypt(): Promise<BcryptModule> {
  bcrypt ??= import('@node-rs/bcrypt').catch((error: unknown) => {
    bcrypt = undefined;
    return missing('@node-rs/bcrypt', 'BCryptSHA256PasswordHasher')(error);
  });
  return bcrypt;
}

// The shared example app (examples/app), built by esbuild.
import * as localconv from 'localconv';
import { startApp } from '../../app/app.js';

startApp(localconv);
